import {
  type AccountPositionsUpdate,
  type IBApiNextError,
  IBApiNextTickType,
  IBApiTickType,
  type Order,
  OrderAction,
  OrderType,
  SecType,
  TimeInForce,
} from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, SPY_CONID } from "../../src/sim/index.js";
import { connectIbApiNext, firstValue, simEvent, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const put = (strike: number) => ({
  symbol: "SPY",
  secType: SecType.OPT,
  lastTradeDateOrContractMonth: EXPIRY,
  strike,
  right: "P" as never,
  exchange: "SMART",
  currency: "USD",
});
const limit = (lmtPrice: number, orderRef: string): Order => ({
  action: OrderAction.BUY,
  orderType: OrderType.LMT,
  lmtPrice,
  totalQuantity: 1,
  tif: TimeInForce.GTC,
  orderRef,
  transmit: true,
});

describe("IBApiNext against the simulator", () => {
  it("getPositions emits the seeded puts after positionEnd", async () => {
    const sim = await startSim();
    const next = await connectIbApiNext(sim, 1);
    const update = await firstValue<AccountPositionsUpdate>(next.getPositions());
    const positions = update.all.get("DU1234567") ?? [];
    expect(positions.map((p) => [p.contract.strike, p.pos, p.avgCost])).toEqual(
      JOURNAL.puts.map((p) => [p.strike, -1, Math.round(p.credit * 100)]),
    );
  });

  it("getAllOpenOrders returns the seed's TP and SL with their status matched by permId", async () => {
    const sim = await startSim();
    const next = await connectIbApiNext(sim, 2);
    const orders = await next.getAllOpenOrders();
    expect(orders.map((o) => [o.orderId, o.order.orderRef, o.order.clientId, o.orderState.status])).toEqual([
      [101, JOURNAL.puts[0].exits.tpRef, 7, "Submitted"],
      [102, JOURNAL.puts[0].exits.slRef, 7, "PreSubmitted"],
    ]);
    expect(orders.every((o) => o.orderStatus?.permId === o.order.permId)).toBe(true);
  });

  it("getContractDetails, getSecDefOptParams and getMarketDataSnapshot resolve", async () => {
    const sim = await startSim({ seed: "empty" });
    const next = await connectIbApiNext(sim, 3);
    const [details] = await next.getContractDetails(put(624));
    expect(details?.contract.conId).toBe(optionConId(EXPIRY, 624, "P"));
    expect(details?.liquidHours).toContain("20261126:CLOSED");
    const [params] = await next.getSecDefOptParams("SPY", "", SecType.STK, SPY_CONID);
    expect(params).toMatchObject({ exchange: "SMART", tradingClass: "SPY", multiplier: 100 });
    expect(params?.expirations).toContain(EXPIRY);
    const snapshot = await next.getMarketDataSnapshot(
      { conId: optionConId(EXPIRY, 624, "P"), exchange: "SMART" },
      "",
      false,
    );
    expect(snapshot.get(IBApiNextTickType.MODEL_OPTION_DELTA)?.value).toBeLessThan(0);
    expect(snapshot.get(IBApiTickType.BID)?.value).toBeGreaterThan(0);
  });

  it("placeNewOrder continues above an order id of 1_000_000 and the order shows in getAllOpenOrders", async () => {
    const sim = await startSim({ seed: "empty" });
    const next = await connectIbApiNext(sim, 7);
    const placed = simEvent(sim, "order", () => true);
    next.placeOrder(1_000_000, put(624), limit(0.5, "tw:tp:a"));
    await placed;
    const both = simEvent(sim, "order", () => sim.state().openOrders.length === 2);
    const id = await next.placeNewOrder(put(625), limit(0.5, "tw:tp:b"));
    expect(id).toBe(1_000_001);
    await both;
    const open = await next.getAllOpenOrders();
    const rows = open.map((o) => [o.orderId, o.order.orderRef]).sort();
    expect(rows).toEqual([
      [1_000_000, "tw:tp:a"],
      [1_000_001, "tw:tp:b"],
    ]);
  });

  it("an order error with a small order id errors the IBApiNext subscription sharing that id (use ids >= 1e6)", async () => {
    const sim = await startSim({ seed: "empty" });
    const next = await connectIbApiNext(sim, 7);
    const positions = next.getPositions();
    let failure: unknown;
    const sub = positions.subscribe({ error: (err) => (failure = err) });
    await firstValue<AccountPositionsUpdate>(positions, (u) => u.all !== undefined);
    sim.fault({ type: "reject-next-order" });
    next.placeOrder(1_000_000, put(600), limit(0.5, "high id"));
    await firstValue<IBApiNextError>(next.errorSubject, (e) => e.reqId === 1_000_000);
    expect(failure).toBeUndefined();
    sim.fault({ type: "reject-next-order" });
    next.placeOrder(1, put(600), limit(0.5, "low id"));
    await firstValue<IBApiNextError>(next.errorSubject, (e) => e.reqId === 1);
    expect(failure).toMatchObject({ code: 201, reqId: 1 });
    sub.unsubscribe();
  });
});
