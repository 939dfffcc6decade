import type { Clock } from "../../clock.js";
import {
  audit as auditRepo,
  type Db,
  type EntryRunRow,
  type EntryRunStatus,
  entryRuns,
  inTransaction,
} from "../../store/index.js";
import type { AlertSink } from "../approvals/alert-sink.js";
import { entryBlocker } from "./entry-rules.js";
import { type ConnectionView, EntryRunError, type EntryRunner } from "./entry-runner.js";
import type { ScheduleAlert } from "./schedule-alerts.js";

export interface DailyEntryDeps {
  db: Db;
  clock: Clock;
  strategy: string;
  runner: EntryRunner;
  connection: ConnectionView;
  alerts: AlertSink<ScheduleAlert>;
}

export type PlaceOutcome =
  | { ok: true; orderRef: string }
  | { ok: false; status: "missed" | "failed"; error: string };

export interface RunMove {
  tradingDay: string;
  to: EntryRunStatus;
  reason: string | null;
  from: readonly EntryRunStatus[];
  actor: string;
  alerts?: ScheduleAlert[];
}

export interface PlaceOptions {
  /** Who asked: "schedule", or the approver. */
  actor: string;
  /** Record "gateway down, nothing sent" as "missed" (a catch-up may follow) instead of "failed". */
  gatewayDownIsMissed: boolean;
  /** Raise entry-missed / entry-failed; off when an approval reports the outcome itself. */
  alertOnFailure: boolean;
  /** For entry-missed: until when a catch-up can still be offered. */
  catchUpUntil?: Date | null;
}

/**
 * The day's entry run: claimed once (the at-most-one-entry-per-day guard), then moved along
 * placing -> placed / failed, each step audited with its alert in the same transaction.
 */
export class DailyEntry {
  constructor(private readonly deps: DailyEntryDeps) {}

  run(tradingDay: string): Promise<EntryRunRow | undefined> {
    return entryRuns.entryRun(this.deps.db, this.deps.strategy, tradingDay);
  }

  /** True only for the first claimant of the day; the audit and alerts are written only then. */
  async claim(
    tradingDay: string,
    status: EntryRunStatus,
    reason: string | null,
    alerts: ScheduleAlert[] = [],
  ): Promise<boolean> {
    const { db, clock, strategy } = this.deps;
    const now = clock.now();
    const claimed = await inTransaction(db, async (trx) => {
      if (!(await entryRuns.claimEntryRun(trx, strategy, tradingDay, now, status, reason))) return false;
      await auditRepo.audit(trx, "schedule", `entry.${status}`, { strategy, tradingDay, reason }, now);
      await this.deps.alerts.add(trx, alerts);
      return true;
    });
    if (claimed && alerts.length > 0) this.deps.alerts.committed();
    return claimed;
  }

  /**
   * Moves the run only if it is in one of `from`; true for the one caller that did. Inside the
   * caller's transaction when `trx` is given (then the caller owns `committed()` for `alerts`).
   */
  async move(change: RunMove, trx?: Db): Promise<boolean> {
    const { clock, strategy } = this.deps;
    const { tradingDay, to, reason, from, actor, alerts = [] } = change;
    const now = clock.now();
    const moved = await inTransaction(trx ?? this.deps.db, async (tx) => {
      const done = await entryRuns.updateEntryRun(
        tx,
        strategy,
        tradingDay,
        { status: to, reason },
        now,
        from,
      );
      if (!done) return false;
      await auditRepo.audit(tx, actor, `entry.${to}`, { strategy, tradingDay, reason }, now);
      await this.deps.alerts.add(tx, alerts);
      return true;
    });
    if (moved && !trx && alerts.length > 0) this.deps.alerts.committed();
    return moved;
  }

  /** Places the entry of a run already in "placing" and records how it went. */
  async place(tradingDay: string, opts: PlaceOptions): Promise<PlaceOutcome> {
    const { runner, connection } = this.deps;
    try {
      const blocker = entryBlocker(connection.current);
      if (blocker) throw new EntryRunError(`nothing was placed, ${blocker}`, { gatewayDown: true });
      const { orderRef } = await runner.placeScheduledEntry(tradingDay, opts.actor);
      await this.finish(tradingDay, "placed", null, orderRef, opts.actor, []);
      return { ok: true, orderRef };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const gatewayDown = err instanceof EntryRunError && err.gatewayDown;
      const status = gatewayDown && opts.gatewayDownIsMissed ? "missed" : "failed";
      const alerts = opts.alertOnFailure ? [failureAlert(tradingDay, status, error, opts)] : [];
      await this.finish(tradingDay, status, error, null, opts.actor, alerts);
      return { ok: false, status, error };
    }
  }

  private async finish(
    tradingDay: string,
    status: "placed" | "missed" | "failed",
    reason: string | null,
    orderRef: string | null,
    actor: string,
    alerts: ScheduleAlert[],
  ): Promise<void> {
    const { db, clock, strategy } = this.deps;
    const now = clock.now();
    await inTransaction(db, async (trx) => {
      await entryRuns.updateEntryRun(trx, strategy, tradingDay, { status, reason, orderRef }, now, [
        "placing",
      ]);
      await auditRepo.audit(trx, actor, `entry.${status}`, { strategy, tradingDay, reason, orderRef }, now);
      await this.deps.alerts.add(trx, alerts);
    });
    if (alerts.length > 0) this.deps.alerts.committed();
  }
}

function failureAlert(
  tradingDay: string,
  status: "missed" | "failed",
  error: string,
  opts: PlaceOptions,
): ScheduleAlert {
  if (status === "failed") return { type: "entry-failed", tradingDay, error, actor: opts.actor };
  const catchUpUntil = opts.catchUpUntil?.toISOString() ?? null;
  return { type: "entry-missed", tradingDay, reason: error, catchUpUntil };
}
