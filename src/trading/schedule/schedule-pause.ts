import { type Db, settings } from "../../store/index.js";

export const PAUSE_KEY = "schedule.paused";

export interface PauseState {
  paused: boolean;
  /** Who paused, and when (ISO); null when running. */
  by: string | null;
  since: string | null;
}

interface StoredPause {
  by: string;
  since: string;
}

const RUNNING: PauseState = { paused: false, by: null, since: null };

export async function readPause(db: Db): Promise<PauseState> {
  const stored = await settings.getSetting<StoredPause | null>(db, PAUSE_KEY, null);
  return stored ? { paused: true, by: stored.by, since: stored.since } : RUNNING;
}

export async function writePause(db: Db, actor: string | null, now: Date): Promise<void> {
  if (actor === null) await settings.deleteSetting(db, PAUSE_KEY);
  else
    await settings.setSetting(
      db,
      PAUSE_KEY,
      { by: actor, since: now.toISOString() } satisfies StoredPause,
      now,
    );
}
