/**
 * The entry against a simulator whose quotes take 300-1500 ms each, as IB's do: the time from the
 * scheduled run to the entry order at the broker, and how many market-data requests it makes.
 */
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { IbSimulator, type RequestInfo } from "../src/sim/index.js";
import { openDatabase } from "../src/store/index.js";
import { AlertOutbox } from "../src/trading/alert-outbox.js";
import { ConnectionSupervisor } from "../src/trading/ib/connection-supervisor.js";
import { Trading } from "../src/trading/trading.js";
import { type Figure, figure } from "./stats.js";

const LATENCY: [number, number] = [300, 1500];
const TRADING_DAY = "2026-02-04";

async function waitFor(check: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One entry on a fresh journal: ms from the run to the order's arrival, and the quotes it asked for. */
async function entryTrial(sim: IbSimulator): Promise<{ ms: number; quotes: number }> {
  const loaded = loadConfig({});
  if (!loaded.ok) throw new Error(loaded.problems.join("; "));
  const store = await openDatabase(":memory:");
  const outbox = new AlertOutbox(store.db, systemClock);
  const supervisor = new ConnectionSupervisor({
    host: "127.0.0.1",
    port: sim.port,
    clientId: 7,
    heartbeatMs: 3_000,
    heartbeatTimeoutMs: 5_000,
    handshakeTimeoutMs: 5_000,
    staleAfterMs: 120_000,
    clock: systemClock,
    logger: silentLogger,
    sink: outbox.transitionSink(),
  });
  const trading = new Trading({
    db: store.db,
    supervisor,
    outbox,
    clock: systemClock,
    logger: silentLogger,
    settings: loaded.config,
  });
  const ready = new Promise<void>((resolve) => trading.once("ready", () => resolve()));
  trading.start({ cron: false });
  supervisor.start();
  await ready;
  let quotes = 0;
  let placedAt = 0;
  const onRequest = (r: RequestInfo) => {
    if (r.clientId !== 7) return;
    if (r.type === "reqMktData") quotes++;
    if (r.type === "placeOrder" && !placedAt) placedAt = performance.now();
  };
  sim.on("request", onRequest);
  const t0 = performance.now();
  await trading.entries.placeScheduledEntry(TRADING_DAY, "schedule");
  await waitFor(() => placedAt > 0, "the entry at the broker");
  sim.off("request", onRequest);
  trading.entries.stop();
  await trading.stop();
  await supervisor.stop();
  await store.close();
  await waitFor(() => sim.connections().every((c) => c.clientId !== 7), "the bot's socket to close");
  return { ms: placedAt - t0, quotes };
}

export async function marketFigures(quick: boolean): Promise<Figure[]> {
  const sim = await IbSimulator.start({
    seed: "empty",
    now: () => new Date("2026-02-04T14:35:00Z"),
    quoteLatencyMs: LATENCY,
  });
  const trials = quick ? 3 : 12;
  const times: number[] = [];
  const quotes: number[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      const r = await entryTrial(sim);
      times.push(r.ms);
      quotes.push(r.quotes);
    }
  } finally {
    await sim.close();
  }
  const settings = { quoteLatencyMs: LATENCY.join("-"), trials, goal: "p99 < 5000 ms" };
  return [
    figure("scheduled time -> entry order transmitted", "ms", times, settings),
    figure("market-data requests per entry", "requests", quotes, { trials }),
  ];
}
