import { EventEmitter } from "node:events";
import cron, { type ScheduledTask } from "node-cron";
import type { Clock, TimerHandle } from "../clock.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Db } from "../store/index.js";
import { calendar as calendarRepo } from "../store/index.js";
import type { AlertOutbox } from "./alert-outbox.js";
import { ApprovalService } from "./approvals/approval-service.js";
import { parseOrderRef, strategyName } from "./domain/order-refs.js";
import type { ConnectionSupervisor } from "./ib/connection-supervisor.js";
import { OrderIds } from "./ib/ib-order-entry.js";
import type { IbSession } from "./ib/ib-session.js";
import { CalendarService } from "./lifecycle/calendar-service.js";
import { type DailySummaryAlert, dailySummary } from "./lifecycle/daily-summary.js";
import { EntryService } from "./lifecycle/entry-service.js";
import { ExitOrders } from "./lifecycle/exits.js";
import { ExitsFollowShort } from "./lifecycle/exits-follow-short.js";
import { FillProcessor } from "./lifecycle/fills.js";
import { NotConnectedError, OrderDesk } from "./lifecycle/order-desk.js";
import { Reconciler } from "./lifecycle/reconciler.js";
import { Recovery } from "./lifecycle/recovery.js";
import { TradeLifecycle } from "./lifecycle/trade-lifecycle.js";
import { EntryScheduler } from "./schedule/entry-scheduler.js";
import { TradeApprovals } from "./trade-approvals.js";

export type TradingSettings = Pick<Config, "strategy" | "entry" | "reconcile" | "approvalTtlS"> & {
  account?: string;
};

export interface TradingDeps {
  db: Db;
  supervisor: ConnectionSupervisor;
  outbox: AlertOutbox;
  clock: Clock;
  logger: Logger;
  settings: TradingSettings;
}

/**
 * The trade lifecycle, wired: on every connect it recovers the journal against the broker,
 * refreshes the calendar and reconciles; after IB restores connectivity it reconciles again,
 * and every RECONCILE_EVERY_S as well. Emits "ready" after a connect's recovery and reconcile.
 */
export class Trading extends EventEmitter {
  readonly ids: OrderIds;
  readonly desk: OrderDesk;
  readonly fills: FillProcessor;
  readonly exits: ExitOrders;
  readonly entries: EntryService;
  readonly lifecycle: TradeLifecycle;
  readonly follow: ExitsFollowShort;
  readonly recovery: Recovery;
  readonly reconciler: Reconciler;
  readonly calendar: CalendarService;
  readonly approvals: ApprovalService;
  readonly scheduler: EntryScheduler;
  readonly decisions: TradeApprovals;
  private timer: TimerHandle | undefined;
  private summaryTask: ScheduledTask | undefined;
  private syncing: Promise<void> = Promise.resolve();
  /** Price ladders being resumed: off the broker-event queue, but part of settled(). */
  private resuming: Promise<void> = Promise.resolve();
  private readonly onSynced = () => {
    const session = this.deps.supervisor.activeSession;
    if (session) this.syncing = this.syncing.then(() => this.afterConnect(session));
  };
  /** IB's connectivity is back (1101/1102): fills it could not report are asked for, then compared. */
  private readonly onResync = () => {
    this.syncing = this.syncing.then(async () => {
      await this.replayQuietly();
      await this.reconcileQuietly("connectivity restored");
    });
  };

  constructor(
    private readonly deps: TradingDeps,
    usedOrderIds = 0,
  ) {
    super();
    const { db, supervisor, outbox, clock, logger, settings } = deps;
    const log = (component: string) => logger.child({ component });
    this.ids = new OrderIds(usedOrderIds);
    this.desk = new OrderDesk({ db, supervisor, outbox, ids: this.ids, clock, logger: log("orders") });
    this.fills = new FillProcessor({
      db,
      outbox,
      clock,
      logger: log("fills"),
      strategy: strategyName(settings.strategy.symbol, settings.strategy.right),
    });
    this.exits = new ExitOrders({
      db,
      desk: this.desk,
      outbox,
      clock,
      logger: log("exits"),
      settings: settings.strategy,
    });
    this.entries = new EntryService({
      db,
      supervisor,
      desk: this.desk,
      outbox,
      clock,
      logger: log("entry"),
      settings,
    });
    this.follow = new ExitsFollowShort({
      db,
      supervisor,
      desk: this.desk,
      exits: this.exits,
      fills: this.fills,
      outbox,
      clock,
      logger: log("exits"),
      timezone: settings.entry.timezone,
      settled: () => this.withdrawStaleQuietly(),
    });
    this.lifecycle = new TradeLifecycle({
      db,
      supervisor,
      desk: this.desk,
      fills: this.fills,
      follow: this.follow,
      clock,
      logger: log("lifecycle"),
      entryWorking: (orderRef) => this.entriesFound([orderRef]),
      changed: () => this.withdrawStaleQuietly(),
    });
    this.calendar = new CalendarService({
      db,
      clock,
      logger: log("calendar"),
      symbol: settings.strategy.symbol,
      timezone: settings.entry.timezone,
    });
    this.recovery = new Recovery({
      db,
      desk: this.desk,
      fills: this.fills,
      follow: this.follow,
      lifecycle: this.lifecycle,
      ids: this.ids,
      clock,
      logger: log("recovery"),
      today: () => this.calendar.today(),
    });
    this.reconciler = new Reconciler({
      db,
      supervisor,
      outbox,
      exits: this.exits,
      follow: this.follow,
      clock,
      logger: log("reconcile"),
      timezone: settings.entry.timezone,
      autoReattach: settings.reconcile.autoReattach,
      account: settings.account,
      offerFix: (f) => this.decisions.offerFix(f),
    });
    this.approvals = new ApprovalService({
      db,
      clock,
      alerts: outbox,
      ttlS: settings.approvalTtlS,
      timeZone: settings.entry.timezone,
      logger: log("approvals"),
    });
    const strategy = strategyName(settings.strategy.symbol, settings.strategy.right);
    this.scheduler = new EntryScheduler({
      db,
      clock,
      strategy,
      entry: settings.entry,
      runner: this.entries,
      connection: supervisor,
      approvals: this.approvals,
      alerts: outbox,
      logger: log("schedule"),
    });
    this.decisions = new TradeApprovals({
      db,
      clock,
      approvals: this.approvals,
      entries: this.entries,
      exits: this.exits,
      desk: this.desk,
      scheduler: this.scheduler,
      tpPct: settings.strategy.tpPct,
      slPct: settings.strategy.slPct,
      brokerOrders: () => {
        const session = supervisor.activeSession;
        if (!session) throw new NotConnectedError("checking the exits at the broker");
        return session.openOrders();
      },
      known: () => ({ orders: supervisor.cache.orders, positions: supervisor.cache.positions }),
    });
  }

  /** `cron: false` leaves the entry schedule to `scheduler.runAt` (tests). */
  start(opts: { cron?: boolean } = {}): void {
    this.lifecycle.start();
    this.approvals.start();
    this.scheduler.start({ cron: opts.cron ?? true });
    if (opts.cron !== false) {
      // After the close: 16:15 New York on weekdays; closed days are skipped inside.
      this.summaryTask = cron.schedule("15 16 * * 1-5", () => void this.summaryAt(), {
        timezone: this.deps.settings.entry.timezone,
        name: "daily-summary",
      });
    }
    this.deps.supervisor.on("synced", this.onSynced);
    this.deps.supervisor.on("resync", this.onResync);
    this.schedulePeriodic();
  }

  async stop(): Promise<void> {
    this.deps.supervisor.off("synced", this.onSynced);
    this.deps.supervisor.off("resync", this.onResync);
    this.deps.clock.clearTimeout(this.timer);
    await this.summaryTask?.destroy();
    this.entries.stop();
    this.approvals.stop();
    await this.scheduler.stop();
    this.lifecycle.stop();
    this.follow.stop();
    await this.syncing;
    await this.lifecycle.idle();
  }

  /** Posts the day's summary (positions, exit coverage, fills, P&L, downtime); nothing on a closed day. */
  async summaryAt(): Promise<DailySummaryAlert | null> {
    const { db, clock, outbox, settings, logger } = this.deps;
    try {
      const day = await calendarRepo.tradingDay(db, this.calendar.today());
      if (day?.status === "closed") return null;
      const alert = await dailySummary({
        db,
        clock,
        reconciler: this.reconciler,
        timezone: settings.entry.timezone,
      });
      await outbox.raise([alert]);
      return alert;
    } catch (err) {
      logger.error({ err }, "daily summary failed");
      return null;
    }
  }

  /** Resolves when the work started by connects and restorations so far is done. */
  settled(): Promise<void> {
    return this.syncing
      .then(() => this.lifecycle.idle())
      .then(() => this.follow.idle())
      .then(() => this.lifecycle.idle())
      .then(() => this.resuming);
  }

  private async afterConnect(session: IbSession): Promise<void> {
    const { logger } = this.deps;
    try {
      const report = await this.recovery.run(session);
      if (report.sent.length || report.abandoned.length || report.replayed || report.exitsAttached.length) {
        logger.info({ report }, "recovered the journal against the broker");
      }
      await this.entriesFound(report.matched);
      await this.calendar.refresh(session);
    } catch (err) {
      logger.error({ err }, "recovery after connect failed");
    }
    await this.reconcileQuietly("connect");
    try {
      await this.scheduler.offerCatchUp();
    } catch (err) {
      logger.error({ err }, "could not offer the catch-up entry");
    }
    this.emit("ready");
  }

  /**
   * Entries IB has (matched by the recovery, or acknowledged late): one whose send had timed out
   * makes the day placed after all, and a working one without a price ladder gets it back.
   */
  private async entriesFound(refs: string[]): Promise<void> {
    for (const ref of refs) {
      const parsed = parseOrderRef(ref);
      if (parsed.kind !== "entry" || parsed.strategy !== this.entries.strategy) continue;
      if (await this.scheduler.entryFoundAtBroker(parsed.day, ref)) await this.entries.announceFound(ref);
      // Not awaited: its quote must not hold up the broker events queued behind this one.
      this.resuming = this.resuming.then(() =>
        this.entries
          .resumeRepricing(ref)
          .catch((err: unknown) =>
            this.deps.logger.warn({ err, orderRef: ref }, "could not resume the price ladder"),
          ),
      );
    }
  }

  private async reconcileQuietly(trigger: string): Promise<void> {
    try {
      await this.reconciler.run(trigger);
    } catch (err) {
      this.deps.logger.warn(
        { err: err instanceof Error ? err.message : err, trigger },
        "reconciliation skipped",
      );
    }
    await this.withdrawStaleQuietly();
  }

  /** Approvals whose premise changed (exits now live, a position closed or adopted) are closed at once. */
  private async withdrawStaleQuietly(): Promise<void> {
    try {
      await this.decisions.withdrawStale();
    } catch (err) {
      this.deps.logger.warn({ err }, "could not withdraw approvals that are no longer needed");
    }
  }

  /** Today's executions again, applied once each: those IB could not report, or we could not apply. */
  private async replayQuietly(): Promise<void> {
    const session = this.deps.supervisor.activeSession;
    if (!session) return;
    try {
      // Our own client's: an empty filter stalls on some gateway builds, and others' fills (a manual
      // close in TWS) are read where a short went missing (ExitsFollowShort.settle).
      const replayed = await this.recovery.replay(
        await session.executions({ clientId: String(session.clientId) }),
      );
      if (replayed > 0) this.deps.logger.warn({ replayed }, "applied executions that had been missed");
    } catch (err) {
      this.deps.logger.warn({ err: err instanceof Error ? err.message : err }, "execution replay skipped");
    }
  }

  private schedulePeriodic(): void {
    const every = this.deps.settings.reconcile.everyS * 1000;
    this.timer = this.deps.clock.setTimeout(() => {
      if (this.deps.supervisor.activeSession) {
        this.syncing = this.syncing.then(async () => {
          await this.replayQuietly();
          await this.reconcileQuietly("periodic");
        });
      }
      this.schedulePeriodic();
    }, every);
  }
}
