import type { EntryRunRow } from "../../store/index.js";
import { isEntryAllowed } from "../domain/entry-window.js";
import { CALENDAR_UNKNOWN, type DayFacts, entryBlocker, isClosed, pausedReason } from "./entry-rules.js";
import type { EntryRunner } from "./entry-runner.js";

/**
 * What would stop today's scheduled entry at `entryAt`, found ahead of time; [] when nothing would,
 * or when there is no entry to make (a closed day, no entry scheduled, the day already claimed).
 */
export async function preflightProblems(
  facts: DayFacts,
  entryAt: Date | null,
  run: EntryRunRow | undefined,
  runner: EntryRunner,
): Promise<string[]> {
  const { tradingDay, calendar, connection } = facts;
  if (!entryAt || run || isClosed(tradingDay, calendar)) return [];
  const problems: string[] = [];
  if (facts.paused.paused) problems.push(`${pausedReason(facts.paused)}: today's entry will be skipped`);
  if (!calendar) {
    problems.push(`${CALENDAR_UNKNOWN}: today's entry will be marked missed`);
  } else {
    const window = isEntryAllowed(calendar, entryAt, facts.entryTime, facts.windowEnd, facts.timeZone);
    if (!window.allowed) problems.push(`at the entry time: ${window.detail}`);
  }
  const blocker = entryBlocker(connection);
  if (blocker) {
    problems.push(`${blocker}: the entry cannot be placed until it is back`);
  } else if (runner.preflight) {
    try {
      problems.push(...(await runner.preflight(tradingDay)));
    } catch (err) {
      problems.push(`the entry dry run failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}
