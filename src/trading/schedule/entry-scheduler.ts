import cron, { type ScheduledTask } from "node-cron";
import type { Clock } from "../../clock.js";
import type { EntryConfig } from "../../config.js";
import { type Logger, silentLogger } from "../../log.js";
import {
  audit as auditRepo,
  calendar,
  type Db,
  type EntryRunStatus,
  inTransaction,
} from "../../store/index.js";
import type { AlertSink } from "../approvals/alert-sink.js";
import type { ApprovalRecord } from "../approvals/approval-record.js";
import type { ApprovalService } from "../approvals/approval-service.js";
import { addDays, weekdayOf } from "../domain/calendar-days.js";
import { type EntrySchedule, parseEntryCron } from "../domain/entry-cron.js";
import { nextEntry } from "../domain/next-entry.js";
import { type Zone, zone } from "../domain/zoned-time.js";
import { DailyEntry } from "./daily-entry.js";
import { registerEntryApprovals } from "./entry-approvals.js";
import { type DayFacts, entryBlocker, toTradingDayLike } from "./entry-rules.js";
import type { ConnectionView, EntryRunner } from "./entry-runner.js";
import { preflightProblems } from "./preflight.js";
import type { ScheduleAlert } from "./schedule-alerts.js";
import { type PauseState, readPause, writePause } from "./schedule-pause.js";
import { offerCatchUp, runScheduledEntry, type SequenceDeps } from "./scheduled-entry.js";

export interface EntrySchedulerOptions {
  db: Db;
  clock: Clock;
  /** The entry_runs strategy key, e.g. strategyName("SPY", "P") = "spy-put". */
  strategy: string;
  entry: Pick<EntryConfig, "cron" | "timezone" | "windowEnd" | "needsApproval">;
  /** When the pre-flight runs, in entry.timezone; default 09:00 on weekdays. */
  preflightCron?: string;
  runner: EntryRunner;
  connection: ConnectionView;
  approvals: ApprovalService;
  alerts: AlertSink<ScheduleAlert>;
  logger?: Logger;
}

export interface TodayRun {
  tradingDay: string;
  status: EntryRunStatus;
  reason: string | null;
  orderRef: string | null;
  updatedAt: string;
}

/**
 * Fires the day's entry at ENTRY_CRON (node-cron, in the schedule's zone), offers one catch-up
 * approval when a missed entry's gateway comes back inside the window, and runs a pre-flight check
 * before it. `runAt`, `preflightAt` and `offerCatchUp` do exactly what the timers and the "synced"
 * event do, for tests. The day's entry_runs row makes it at most one entry per day, across ticks,
 * restarts and catch-ups.
 */
export class EntryScheduler {
  private readonly schedule: EntrySchedule;
  private readonly entryTime: string;
  private readonly zone: Zone;
  private readonly daily: DailyEntry;
  private readonly logger: Logger;
  private started = false;
  private tasks: ScheduledTask[] = [];
  private work: Promise<unknown> = Promise.resolve();
  /** Whether this connection has finished its first refresh: before that a recovery is the connect's own. */
  private synced = false;
  private entryPossible = false;
  private readonly onSynced = () => {
    this.synced = true;
    this.entryPossible = entryBlocker(this.opts.connection.current) === null;
    this.offerCatchUp().catch((err) => this.logger.error({ err }, "schedule: catch-up check failed"));
  };
  /**
   * The same connection healthy again (1102 after a 1100, a data farm back): the entry became
   * possible, so a missed entry gets its catch-up now (still once: the run leaves "missed").
   */
  private readonly onState = () => {
    const current = this.opts.connection.current;
    if (current.state === "disconnected" || current.state === "connecting") this.synced = false;
    const possible = entryBlocker(current) === null;
    const opened = possible && !this.entryPossible;
    this.entryPossible = possible;
    if (opened && this.synced) this.onSynced();
  };

  constructor(private readonly opts: EntrySchedulerOptions) {
    const parsed = parseEntryCron(opts.entry.cron);
    if (!parsed.ok) throw new Error(parsed.error);
    this.schedule = parsed.schedule;
    this.entryTime = `${pad(parsed.schedule.hour)}:${pad(parsed.schedule.minute)}`;
    this.zone = zone(opts.entry.timezone);
    this.logger = opts.logger ?? silentLogger;
    this.daily = new DailyEntry(opts);
    registerEntryApprovals(opts.approvals, {
      db: opts.db,
      clock: opts.clock,
      daily: this.daily,
      entryTime: this.entryTime,
      windowEnd: opts.entry.windowEnd,
      timeZone: this.zone.timeZone,
    });
  }

  /** Starts the crons and listens for "synced"; `cron: false` listens only (tests drive the ticks). */
  start(options: { cron?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    const { entry, clock, connection } = this.opts;
    connection.on("synced", this.onSynced);
    connection.on("state", this.onState);
    if (options.cron === false) return;
    const every = (expr: string, name: string, fn: (now: Date) => Promise<unknown>) =>
      cron.schedule(
        expr,
        () => fn(clock.now()).catch((err) => this.logger.error({ err }, `schedule: ${name} failed`)),
        { timezone: entry.timezone, name, noOverlap: true },
      );
    this.tasks = [
      every(entry.cron, "scheduled-entry", (now) => this.runAt(now)),
      every(this.opts.preflightCron ?? "0 9 * * 1-5", "entry-preflight", (now) => this.preflightAt(now)),
    ];
  }

  async stop(): Promise<void> {
    this.started = false;
    this.opts.connection.off("synced", this.onSynced);
    this.opts.connection.off("state", this.onState);
    const tasks = this.tasks;
    this.tasks = [];
    await Promise.all(tasks.map((task) => task.destroy()));
    await this.flushed();
  }

  /** What the entry cron does at `now`: the day's entry, skipped, missed, asked for or placed. */
  runAt(now: Date): Promise<void> {
    return this.queue(async () => {
      const facts = await this.facts(now);
      await runScheduledEntry(this.sequenceDeps(), facts);
    });
  }

  /** What "synced" does: offers one catch-up approval for today's missed entry, if still in time. */
  offerCatchUp(now: Date = this.opts.clock.now()): Promise<ApprovalRecord | null> {
    return this.queue(async () => offerCatchUp(this.sequenceDeps(), await this.facts(now)));
  }

  /** What the pre-flight cron does: posts the problems that would stop today's entry; a clean check posts nothing. */
  preflightAt(now: Date): Promise<string[]> {
    return this.queue(async () => {
      const { db, runner, alerts } = this.opts;
      const facts = await this.facts(now);
      const { tradingDay } = facts;
      const entryAt = this.entryAt(tradingDay);
      const run = await this.daily.run(tradingDay);
      const problems = await preflightProblems(facts, entryAt, run, runner);
      const report = runner.marketDataReport?.() ?? { lines: [], notable: false };
      await auditRepo.audit(
        db,
        "schedule",
        "schedule.preflight",
        { tradingDay, problems, report: report.lines },
        now,
      );
      if (entryAt && problems.length > 0) {
        const at = entryAt.toISOString();
        await alerts.raise([
          {
            type: "preflight-problems",
            tradingDay,
            entryAt: at,
            problems,
            ...(report.lines.length > 0 ? { report: report.lines } : {}),
          },
        ]);
      } else if (entryAt && report.notable && !run) {
        await alerts.raise([
          { type: "preflight-report", tradingDay, entryAt: entryAt.toISOString(), report: report.lines },
        ]);
      }
      return problems;
    });
  }

  /**
   * The reconnect found today's entry at IB after its send had timed out (the run was recorded
   * as missed): the day counts as placed, so no catch-up is offered. True when it moved.
   */
  entryFoundAtBroker(tradingDay: string, orderRef: string): Promise<boolean> {
    return this.queue(() =>
      this.daily.move({
        tradingDay,
        from: ["missed"],
        to: "placed",
        reason: `IB had ${orderRef} after all`,
        actor: "recovery",
      }),
    );
  }

  async pause(actor: string): Promise<PauseState & { changed: boolean }> {
    return this.setPaused(actor, true);
  }

  async resume(actor: string): Promise<PauseState & { changed: boolean }> {
    return this.setPaused(actor, false);
  }

  pauseState(): Promise<PauseState> {
    return readPause(this.opts.db);
  }

  /**
   * The next scheduled entry strictly after `now` (ISO UTC), skipping weekends and days the calendar
   * knows are closed; days it does not know count as open. Null when none within 30 days. It does not
   * look at the pause: show that next to it.
   */
  async nextEntry(now: Date = this.opts.clock.now()): Promise<string | null> {
    const today = this.zone.wallTime(now).day;
    const rows = await calendar.tradingDaysBetween(this.opts.db, today, addDays(today, 31));
    const next = nextEntry({
      schedule: this.schedule,
      tradingDays: rows.flatMap((row) => toTradingDayLike(row) ?? []),
      timeZone: this.zone.timeZone,
      now,
    });
    return next.ok ? next.at : null;
  }

  /**
   * A manual /entry is the day's entry too: it claims the day's run, or takes over a run that
   * was missed, failed or skipped. Refused while the schedule's own entry is placing, placed or
   * waiting for its approval.
   */
  async claimManual(
    tradingDay: string,
    actor: string,
  ): Promise<{ ok: true } | { ok: false; status: string }> {
    const reason = `manual entry by ${actor}`;
    if (await this.daily.claim(tradingDay, "placing", reason)) return { ok: true };
    const from = ["missed", "failed", "skipped"] as const;
    if (await this.daily.move({ tradingDay, to: "placing", reason, from, actor })) return { ok: true };
    return { ok: false, status: (await this.daily.run(tradingDay))?.status ?? "unknown" };
  }

  /** Records how a manual entry claimed with `claimManual` went. */
  async finishManual(tradingDay: string, actor: string, error: string | null): Promise<void> {
    const to = error ? "failed" : "placed";
    await this.daily.move({ tradingDay, to, reason: error, from: ["placing"], actor });
  }

  async todayRun(now: Date = this.opts.clock.now()): Promise<TodayRun | null> {
    const tradingDay = this.zone.wallTime(now).day;
    const run = await this.daily.run(tradingDay);
    return run
      ? {
          tradingDay,
          status: run.status,
          reason: run.reason,
          orderRef: run.order_ref,
          updatedAt: run.updated_at,
        }
      : null;
  }

  /** Resolves when every tick, catch-up check and pre-flight started so far is done. */
  async flushed(): Promise<void> {
    await this.work;
  }

  // One at a time: a tick and a "synced" arriving together must not interleave their reads and claims.
  private queue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.work.then(fn);
    this.work = next.catch(() => undefined);
    return next;
  }

  private async facts(now: Date): Promise<DayFacts> {
    const { db, connection, entry } = this.opts;
    const tradingDay = this.zone.wallTime(now).day;
    const [row, paused] = await Promise.all([calendar.tradingDay(db, tradingDay), readPause(db)]);
    const { state, reason, connectivityLost, farmsDown } = connection.current;
    return {
      tradingDay,
      calendar: toTradingDayLike(row),
      paused,
      connection: { state, reason, connectivityLost, farmsDown },
      now,
      entryTime: this.entryTime,
      windowEnd: entry.windowEnd,
      timeZone: this.zone.timeZone,
    };
  }

  private sequenceDeps(): SequenceDeps {
    const { approvals, entry } = this.opts;
    return {
      daily: this.daily,
      approvals,
      needsApproval: entry.needsApproval,
      entryAt: (day) => this.entryAt(day),
      entryLabel: `${this.entryTime} ${this.zone.timeZone}`,
      logger: this.logger,
    };
  }

  /** When the day's entry is scheduled, or null when the schedule skips that weekday. */
  private entryAt(tradingDay: string): Date | null {
    const { daysOfWeek, hour, minute } = this.schedule;
    return daysOfWeek.includes(weekdayOf(tradingDay)) ? this.zone.instantOf(tradingDay, hour, minute) : null;
  }

  private async setPaused(actor: string, paused: boolean): Promise<PauseState & { changed: boolean }> {
    const { db, clock } = this.opts;
    const before = await readPause(db);
    if (before.paused === paused) return { ...before, changed: false };
    const now = clock.now();
    await inTransaction(db, async (trx) => {
      await writePause(trx, paused ? actor : null, now);
      await auditRepo.audit(trx, actor, paused ? "schedule.paused" : "schedule.resumed", {}, now);
    });
    return { ...(await readPause(db)), changed: true };
  }
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
