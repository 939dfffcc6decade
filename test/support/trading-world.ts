import { AlertDispatcher } from "../../src/bot/alert-dispatcher.js";
import { ManualClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config.js";
import { adoptedPosition } from "../../src/demo-seed.js";
import { silentLogger } from "../../src/log.js";
import { IbSimulator, type Seed, type SimulatorOptions } from "../../src/sim/index.js";
import {
  type DatabaseHandle,
  type OrderRow,
  openDatabase,
  orders,
  type PositionRow,
  positions,
} from "../../src/store/index.js";
import { AlertOutbox } from "../../src/trading/alert-outbox.js";
import { type ConnectionStatus, ConnectionSupervisor } from "../../src/trading/ib/connection-supervisor.js";
import type { EntryPreview } from "../../src/trading/lifecycle/entry-service.js";
import { Trading } from "../../src/trading/trading.js";
import { waitUntil } from "./wait.js";
import { RecordingChat, SETTINGS, simServerVersion, type World } from "./world.js";

export interface TradingWorld extends World {
  trading: Trading;
  /** Stores the simulator's seeded short put at `strike` as an open position of the journal. */
  adoptSeeded(strike: number, id?: number): Promise<PositionRow>;
  /** Waits for the broker events and connect work so far to be handled and their alerts delivered. */
  quiet(): Promise<void>;
  /** Stops the bot (not the simulator, not the database) and starts a new one over the same journal. */
  restart(opts?: { beforeStart?: () => Promise<void> | void }): Promise<void>;
  /** Stops the bot as a killed process would leave things: nothing more is sent or recorded. */
  kill(): Promise<void>;
  /** Starts a bot after `kill()`. */
  boot(): Promise<void>;
}

export interface TradingWorldOptions {
  seed?: Seed;
  env?: Record<string, string>;
  start?: boolean;
  /** A database file instead of memory (to lock it from another thread). */
  dbPath?: string;
  /** The manual clock's start; 2026-02-04 09:30 New York by default. */
  startAt?: string;
  /** The login's managed accounts (the simulator's --accounts); one by default. */
  accounts?: string[];
  /** Simulator options (market data modes, strikes, server version). */
  sim?: Partial<SimulatorOptions>;
  /** Supervisor timings other than SETTINGS (e.g. a heartbeat slower than the order ack timeout). */
  supervisor?: Partial<typeof SETTINGS>;
}

/** The simulator, a journal, and the whole bot (supervisor, trading, alerts) on a manual clock. */
export async function startTradingWorld(opts: TradingWorldOptions = {}): Promise<TradingWorld> {
  const clock = new ManualClock(opts.startAt ?? "2026-02-04T14:30:00Z");
  const sim = await IbSimulator.start({
    seed: opts.seed ?? "journal",
    now: () => clock.now(),
    ownerClientId: 7,
    serverVersion: simServerVersion(),
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...opts.sim,
  });
  const store: DatabaseHandle = await openDatabase(opts.dbPath ?? ":memory:");
  const loaded = loadConfig(opts.env ?? {});
  if (!loaded.ok) throw new Error(loaded.problems.join("; "));
  const config = loaded.config;
  const chat = new RecordingChat();
  const states: ConnectionStatus[] = [];

  const build = () => {
    const outbox = new AlertOutbox(store.db, clock);
    const dispatcher = new AlertDispatcher({ db: store.db, outbox, chat, clock, logger: silentLogger });
    const supervisor = new ConnectionSupervisor({
      host: "127.0.0.1",
      port: sim.port,
      clientId: 7,
      account: config.ib.account,
      ...SETTINGS,
      ...opts.supervisor,
      clock,
      logger: silentLogger,
      sink: outbox.transitionSink(),
      random: () => 1,
    });
    supervisor.on("state", (s: ConnectionStatus) => states.push(s));
    const trading = new Trading({
      db: store.db,
      supervisor,
      outbox,
      clock,
      logger: silentLogger,
      settings: config,
    });
    return { outbox, dispatcher, supervisor, trading };
  };

  let bot = build();
  const deliver = async () => {
    await bot.supervisor.flushed();
    await bot.dispatcher.pump();
  };
  const boot = async () => {
    bot.dispatcher.start();
    bot.trading.start({ cron: false });
    const ready = new Promise<void>((resolve) => bot.trading.once("ready", () => resolve()));
    bot.supervisor.start();
    await waitUntil(() => bot.supervisor.current.state === "connected", "connected");
    await ready;
    await deliver();
  };
  const kill = async () => {
    await bot.trading.stop();
    await bot.supervisor.stop();
    await bot.dispatcher.stop();
    await waitUntil(
      () => sim.state().connections.every((c) => c.clientId !== 7),
      "the simulator to see the bot gone",
    );
  };
  const w: TradingWorld = {
    clock,
    sim,
    chat,
    db: store.db,
    states,
    get supervisor() {
      return bot.supervisor;
    },
    get dispatcher() {
      return bot.dispatcher;
    },
    get outbox() {
      return bot.outbox;
    },
    get trading() {
      return bot.trading;
    },
    async reach(state) {
      await waitUntil(() => bot.supervisor.current.state === state, `state ${state}`);
      await deliver();
    },
    deliver,
    async quiet() {
      await bot.trading.settled();
      await deliver();
    },
    kill,
    async boot() {
      bot = build();
      await boot();
    },
    async restart(o = {}) {
      await kill();
      await o.beforeStart?.();
      bot = build();
      await boot();
    },
    async adoptSeeded(strike, id) {
      const p = sim.state().positions.find((x) => x.strike === strike && x.right === "P");
      if (!p) throw new Error(`the simulator holds no ${strike}P`);
      const now = clock.now();
      return positions.insertPosition(
        store.db,
        { ...(id === undefined ? {} : { id }), ...adoptedPosition(p, now) },
        now,
      );
    },
    async close() {
      await kill().catch(() => {});
      await sim.close();
      await store.close();
    },
  };
  if (opts.start !== false) await boot();
  return w;
}

export async function until<T>(w: TradingWorld, check: () => T | Promise<T>, what: string) {
  return waitUntil(async () => {
    await w.quiet();
    return check();
  }, what);
}

/** Writes the preview's entry to the journal only: what a process killed right after journaling left. */
export function journalEntryOnly(w: TradingWorld, p: EntryPreview): Promise<OrderRow> {
  return orders.journalOrder(
    w.db,
    {
      orderRef: p.orderRef,
      intent: "entry",
      strategy: p.strategy,
      tradingDay: p.tradingDay,
      conId: p.contract.conId,
      symbol: "SPY",
      secType: "OPT",
      expiry: p.contract.expiry ?? "",
      strike: p.contract.strike ?? 0,
      right: "P",
      action: "SELL",
      orderType: "LMT",
      quantity: 1,
      limitPrice: p.limit,
      tif: "DAY",
    },
    w.clock.now(),
  );
}
