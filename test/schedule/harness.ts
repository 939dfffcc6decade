import { EventEmitter } from "node:events";
import type { ManualClock } from "../../src/clock.js";
import { calendar, type DatabaseHandle } from "../../src/store/index.js";
import type { AlertOutbox } from "../../src/trading/alert-outbox.js";
import type { ApprovalService } from "../../src/trading/approvals/approval-service.js";
import type { ConnectionSupervisor, ConnState } from "../../src/trading/ib/connection-supervisor.js";
import type { ConnectionView, EntryRunner } from "../../src/trading/schedule/entry-runner.js";
import { EntryScheduler } from "../../src/trading/schedule/entry-scheduler.js";
import { type ApprovalWorld, approvalWorld, newApprovalService } from "../approvals/harness.js";

// Compile-time: the real supervisor is a ConnectionView, so production passes it as it is.
export const supervisorIsAView = (supervisor: ConnectionSupervisor): ConnectionView => supervisor;

/** The connection as the supervisor shows it; `sync()` is a connect's first refresh completing. */
export class FakeConnection extends EventEmitter {
  current: { state: ConnState; reason: string } = { state: "connected", reason: "API handshake complete" };

  set(state: ConnState, reason: string): void {
    this.current = { state, reason };
  }

  sync(): void {
    this.set("connected", "API handshake complete");
    this.emit("synced");
  }
}

/** The broker boundary: records each placement. */
export class FakeRunner implements EntryRunner {
  placed: Array<{ tradingDay: string; actor: string }> = [];
  failWith: Error | null = null;
  preflightProblems: string[] = [];

  async placeScheduledEntry(tradingDay: string, actor: string): Promise<{ orderRef: string }> {
    if (this.failWith) throw this.failWith;
    this.placed.push({ tradingDay, actor });
    return { orderRef: `tw:entry:${tradingDay}:SPY-P` };
  }

  async preflight(): Promise<string[]> {
    return this.preflightProblems;
  }
}

export interface ScheduleWorld extends ApprovalWorld {
  connection: FakeConnection;
  runner: FakeRunner;
  scheduler: EntryScheduler;
  /** Emits "synced" and waits for the catch-up check it starts. */
  sync(): Promise<void>;
  /** A new process over the same database: new services, the same broker and gateway. */
  restart(): Promise<EntryScheduler>;
}

export async function scheduleWorld(
  start: string,
  options: { needsApproval?: boolean } = {},
): Promise<ScheduleWorld> {
  const base = await approvalWorld(start);
  const connection = new FakeConnection();
  const runner = new FakeRunner();
  const build = (approvals: ApprovalService) =>
    newScheduler(
      base.store,
      base.clock,
      base.outbox,
      approvals,
      connection,
      runner,
      options.needsApproval ?? false,
    );
  const world: ScheduleWorld = {
    ...base,
    connection,
    runner,
    scheduler: build(base.approvals),
    async sync() {
      connection.sync();
      await world.scheduler.flushed();
    },
    async restart() {
      await world.scheduler.stop();
      world.approvals = newApprovalService(base.store, base.clock, base.outbox);
      world.scheduler = build(world.approvals);
      return world.scheduler;
    },
  };
  return world;
}

function newScheduler(
  store: DatabaseHandle,
  clock: ManualClock,
  outbox: AlertOutbox,
  approvals: ApprovalService,
  connection: FakeConnection,
  runner: FakeRunner,
  needsApproval: boolean,
): EntryScheduler {
  const scheduler = new EntryScheduler({
    db: store.db,
    clock,
    strategy: "spy-put",
    entry: { cron: "35 9 * * 1-5", timezone: "America/New_York", windowEnd: "15:30", needsApproval },
    runner,
    connection,
    approvals,
    alerts: outbox,
  });
  scheduler.start({ cron: false });
  return scheduler;
}

/** Regular sessions 09:30-16:00 New York for each day (EST in February, EDT from March 8). */
export async function openDays(store: DatabaseHandle, days: string[], closed: string[] = []): Promise<void> {
  const rows = [
    ...days.map((day) => {
      const utcOpen = day >= "2026-03-08" ? "13:30" : "14:30";
      const utcClose = day >= "2026-03-08" ? "20:00" : "21:00";
      return {
        day,
        status: "open" as const,
        openAt: new Date(`${day}T${utcOpen}:00Z`),
        closeAt: new Date(`${day}T${utcClose}:00Z`),
        source: "test",
      };
    }),
    ...closed.map((day) => ({ day, status: "closed" as const, openAt: null, closeAt: null, source: "test" })),
  ];
  await calendar.upsertTradingDays(store.db, rows, new Date("2026-01-01T00:00:00Z"));
}
