import { loadConfig } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { type PositionRow, positions } from "../../src/store/index.js";
import { OrderIds } from "../../src/trading/ib/ib-order-entry.js";
import { EntryService } from "../../src/trading/lifecycle/entry-service.js";
import { ExitOrders } from "../../src/trading/lifecycle/exits.js";
import { FillProcessor } from "../../src/trading/lifecycle/fills.js";
import { OrderDesk } from "../../src/trading/lifecycle/order-desk.js";
import { TradeLifecycle } from "../../src/trading/lifecycle/trade-lifecycle.js";
import { waitUntil } from "./wait.js";
import { startWorld, type World } from "./world.js";

export interface TradingWorld extends World {
  desk: OrderDesk;
  fills: FillProcessor;
  exits: ExitOrders;
  lifecycle: TradeLifecycle;
  entries: EntryService;
  /** Stores the simulator's seeded short put at `strike` as an open position of the journal. */
  adoptSeeded(strike: number, id?: number): Promise<PositionRow>;
  /** Waits for the broker events so far to be handled and their alerts delivered. */
  quiet(): Promise<void>;
}

/** The supervision world plus the order desk, fill processor and exits, wired like the app. */
export async function startTradingWorld(): Promise<TradingWorld> {
  const w = await startWorld();
  await w.reach("connected");
  const logger = silentLogger;
  const desk = new OrderDesk({
    db: w.db,
    supervisor: w.supervisor,
    outbox: w.outbox,
    ids: new OrderIds(),
    clock: w.clock,
    logger,
  });
  const fills = new FillProcessor({
    db: w.db,
    outbox: w.outbox,
    clock: w.clock,
    logger,
    strategy: "spy-put",
  });
  const exits = new ExitOrders({
    db: w.db,
    desk,
    outbox: w.outbox,
    clock: w.clock,
    logger,
    settings: { tpPct: 40, slPct: 300 },
  });
  const lifecycle = new TradeLifecycle({
    db: w.db,
    supervisor: w.supervisor,
    desk,
    fills,
    exits,
    clock: w.clock,
    logger,
  });
  lifecycle.start();
  const loaded = loadConfig({});
  if (!loaded.ok) throw new Error(loaded.problems.join("; "));
  const entries = new EntryService({
    db: w.db,
    supervisor: w.supervisor,
    desk,
    outbox: w.outbox,
    clock: w.clock,
    logger,
    settings: loaded.config,
  });
  const close = w.close;
  return {
    ...w,
    desk,
    fills,
    exits,
    lifecycle,
    entries,
    async adoptSeeded(strike, id) {
      const p = w.sim.state().positions.find((x) => x.strike === strike && x.right === "P");
      if (!p) throw new Error(`the simulator holds no ${strike}P`);
      const row = await positions.insertPosition(
        w.db,
        {
          strategy: "spy-put",
          account: p.account,
          conId: p.conId,
          symbol: p.symbol,
          secType: "OPT",
          expiry: p.expiry,
          strike: p.strike,
          right: "P",
          quantity: p.pos,
          entryPrice: p.avgCost / 100,
          source: "adopted",
          openedAt: w.clock.now(),
        },
        w.clock.now(),
      );
      if (id !== undefined && row.id !== id) {
        await w.db.updateTable("positions").set({ id }).where("id", "=", row.id).execute();
        return { ...row, id };
      }
      return row;
    },
    async quiet() {
      await lifecycle.idle();
      await w.deliver();
    },
    async close() {
      lifecycle.stop();
      entries.stop();
      await close();
    },
  };
}

export async function until<T>(w: TradingWorld, check: () => T | Promise<T>, what: string) {
  return waitUntil(async () => {
    await w.quiet();
    return check();
  }, what);
}
