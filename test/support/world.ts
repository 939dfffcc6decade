import type { ChatPort, OutboxItem } from "../../src/bot/alert-dispatcher.js";
import { AlertDispatcher } from "../../src/bot/alert-dispatcher.js";
import { ManualClock } from "../../src/clock.js";
import { silentLogger } from "../../src/log.js";
import { IbSimulator } from "../../src/sim/index.js";
import { openDatabase } from "../../src/store/index.js";
import { AlertOutbox } from "../../src/trading/alert-outbox.js";
import type { AlertType } from "../../src/trading/alerts.js";
import {
  type ConnectionStatus,
  ConnectionSupervisor,
  type SupervisorOptions,
} from "../../src/trading/ib/connection-supervisor.js";
import { waitUntil } from "./wait.js";

/** A chat that records what it was given and can be told to fail, like Discord in an outage. */
export class RecordingChat implements ChatPort {
  delivered: OutboxItem[] = [];
  failing = false;
  attempts = 0;

  async deliver(item: OutboxItem): Promise<string> {
    this.attempts++;
    if (this.failing) throw new Error("chat is down");
    this.delivered.push(item);
    return `rec:${item.id}`;
  }

  types(): AlertType[] {
    return this.delivered.map((i) => i.alert.type);
  }

  count(type: AlertType): number {
    return this.types().filter((t) => t === type).length;
  }
}

export const SETTINGS = {
  heartbeatMs: 5_000,
  heartbeatTimeoutMs: 5_000,
  handshakeTimeoutMs: 5_000,
  staleAfterMs: 120_000,
  settleMs: 15_000,
  reconnectBaseMs: 1_000,
  reconnectCapMs: 8_000,
};

export interface World {
  clock: ManualClock;
  sim: IbSimulator;
  chat: RecordingChat;
  supervisor: ConnectionSupervisor;
  dispatcher: AlertDispatcher;
  outbox: AlertOutbox;
  db: Awaited<ReturnType<typeof openDatabase>>["db"];
  states: ConnectionStatus[];
  /** Waits for the state, then for its alerts to be written and delivered. */
  reach(state: ConnectionStatus["state"], what?: string): Promise<void>;
  /** Writes and delivers everything raised so far. */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

/** The simulator, an in-memory store, the supervisor and the alert pipeline, on a manual clock. */
export async function startWorld(
  opts: Partial<SupervisorOptions> & { start?: boolean } = {},
): Promise<World> {
  const clock = new ManualClock("2026-02-04T14:30:00Z");
  const sim = await IbSimulator.start({
    seed: "journal",
    now: () => clock.now(),
    ownerClientId: 7,
    serverVersion: simServerVersion(),
  });
  const store = await openDatabase(":memory:");
  const outbox = new AlertOutbox(store.db, clock);
  const chat = new RecordingChat();
  const dispatcher = new AlertDispatcher({ db: store.db, outbox, chat, clock, logger: silentLogger });
  const supervisor = new ConnectionSupervisor({
    host: "127.0.0.1",
    port: sim.port,
    clientId: 7,
    ...SETTINGS,
    clock,
    logger: silentLogger,
    sink: outbox.transitionSink(),
    random: () => 1,
    ...opts,
  });
  const states: ConnectionStatus[] = [];
  supervisor.on("state", (s: ConnectionStatus) => states.push(s));
  dispatcher.start();
  const deliver = async () => {
    await supervisor.flushed();
    await dispatcher.pump();
  };
  const world: World = {
    clock,
    sim,
    chat,
    supervisor,
    dispatcher,
    outbox,
    db: store.db,
    states,
    async reach(state, what) {
      await waitUntil(() => supervisor.current.state === state, what ?? `state ${state}`);
      await deliver();
    },
    deliver,
    async close() {
      await supervisor.stop();
      await dispatcher.stop();
      await sim.close();
      await store.close();
    },
  };
  if (opts.start !== false) supervisor.start();
  return world;
}

/**
 * Moves the manual clock forward in small steps, letting real socket I/O finish after
 * each one (heartbeat replies, connection progress), so a big jump of fake time never
 * outruns a gateway that would have answered.
 */
export async function elapse(w: World, ms: number, opts: { gatewayAnswers?: boolean; stepMs?: number } = {}) {
  const step = opts.stepMs ?? 500;
  const answers = opts.gatewayAnswers ?? true;
  for (let left = ms; left > 0; left -= step) {
    w.clock.advance(Math.min(step, left));
    await waitUntil(() => {
      const s = w.supervisor;
      // A gateway that answers finishes its handshake before more fake time passes.
      if (s.current.state === "connecting" && (answers || s.connectStep === "tcp")) return false;
      if (answers && s.activeSession && s.heartbeatPending) return false;
      return true;
    }, "socket I/O to catch up with the clock");
    await w.deliver();
  }
}

/**
 * The newest server version the worlds' simulator speaks: SIM_SERVER_VERSION (set by the vitest
 * project that runs the integration suite against the stable gateway channel, 187), else 193.
 */
export function simServerVersion(): number | undefined {
  const v = Number(process.env.SIM_SERVER_VERSION);
  return Number.isInteger(v) && v >= 100 ? v : undefined;
}
