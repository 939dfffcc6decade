import { systemClock } from "../src/clock.js";
import { silentLogger } from "../src/log.js";
import { openDatabase } from "../src/store/index.js";
import { AlertOutbox } from "../src/trading/alert-outbox.js";
import type { BrokerExecution, BrokerOrder } from "../src/trading/broker.js";
import { reconcile } from "../src/trading/domain/missing-exits.js";
import { FillProcessor } from "../src/trading/lifecycle/fills.js";
import { type Figure, figure } from "./stats.js";

const contract = (conId: number) => ({
  conId,
  symbol: "SPY",
  secType: "OPT",
  expiry: "20260430",
  strike: 600,
  right: "P" as const,
});

/** 10,000 executions applied, then the same 10,000 replayed: each applied once. */
async function replayTrial(): Promise<number> {
  const store = await openDatabase(":memory:");
  const outbox = new AlertOutbox(store.db, systemClock);
  const fills = new FillProcessor({
    db: store.db,
    outbox,
    clock: systemClock,
    logger: silentLogger,
    strategy: "spy-put",
  });
  const execs: BrokerExecution[] = Array.from({ length: 10_000 }, (_, i) => ({
    execId: `0000e0d5.${i.toString(16).padStart(8, "0")}.01.01`,
    orderId: 0,
    permId: 0,
    clientId: 7,
    orderRef: "",
    account: "DU1",
    contract: contract(1000 + i),
    side: "SLD",
    shares: 1,
    price: 6.16,
    time: "20260204 09:42:00 US/Eastern",
  }));
  for (const e of execs) await fills.apply(e);
  const t0 = performance.now();
  let applied = 0;
  for (const e of execs) if ((await fills.apply(e)).applied) applied++;
  const ms = performance.now() - t0;
  await store.close();
  if (applied !== 0) throw new Error(`replay applied ${applied} executions twice`);
  return ms;
}

function reconcileTrial(): number {
  const storedPositions = Array.from({ length: 1000 }, (_, i) => ({
    id: i + 1,
    account: "DU1",
    con_id: 1000 + i,
    quantity: -1,
    status: "open" as const,
  }));
  const brokerPositions = storedPositions.map((p) => ({
    account: "DU1",
    quantity: -1,
    contract: contract(p.con_id),
  }));
  const openOrders: BrokerOrder[] = storedPositions.flatMap((p, i) =>
    (["LMT", "STP"] as const).map((type, k) => ({
      orderId: 1_000_000 + i * 2 + k,
      permId: i * 2 + k + 1,
      clientId: 7,
      orderRef: `tw:${type === "LMT" ? "tp" : "sl"}:${p.id}`,
      account: "DU1",
      contract: contract(p.con_id),
      action: "BUY" as const,
      orderType: type,
      quantity: 1,
      limitPrice: type === "LMT" ? 2.43 : undefined,
      auxPrice: type === "STP" ? 18.24 : undefined,
      tif: "GTC",
      ocaGroup: `tw:oca:${p.id}:1`,
      ocaType: 1,
      status: "Submitted",
      filled: 0,
      remaining: 1,
    })),
  );
  const t0 = performance.now();
  const findings = reconcile({ storedPositions, brokerPositions, openOrders });
  const ms = performance.now() - t0;
  if (findings.length !== 0) throw new Error(`expected no findings, got ${findings.length}`);
  return ms;
}

export async function tradingFigures(quick: boolean): Promise<Figure[]> {
  const replays: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) replays.push(await replayTrial());
  const reconciles: number[] = [];
  for (let i = 0; i < (quick ? 5 : 30); i++) reconciles.push(reconcileTrial());

  return [
    figure("replay_10k_executions_applied_once", "ms", replays, { executions: 10_000 }),
    figure("reconcile_1000_positions_2000_orders", "ms", reconciles, { positions: 1000, orders: 2000 }),
  ];
}
