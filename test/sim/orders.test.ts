import {
  type Contract,
  EventName,
  type Execution,
  type Order,
  OrderAction,
  OrderType,
  SecType,
  TimeInForce,
} from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId } from "../../src/sim/index.js";
import { connectIbApi, simEvent, startSim, TEST_NOW, type TestClient } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const SEED_TP = JOURNAL.puts[0].exits;

function put(strike: number): Contract {
  return {
    symbol: "SPY",
    secType: SecType.OPT,
    lastTradeDateOrContractMonth: EXPIRY,
    strike,
    right: "P" as never,
    multiplier: 100,
    exchange: "SMART",
    currency: "USD",
  };
}

function order(fields: Partial<Order>): Order {
  return {
    action: OrderAction.BUY,
    totalQuantity: 1,
    tif: TimeInForce.GTC,
    account: "DU1234567",
    transmit: true,
    ...fields,
  } as Order;
}

/** Index of the first recorded event named `name` whose args satisfy `match`. */
function indexOf(
  c: TestClient,
  name: string,
  match: { check(...args: unknown[]): boolean }["check"],
): number {
  return c.events.items.findIndex((e) => e.name === name && match(...e.args));
}

describe("orders", () => {
  it("places a TP+SL OCA pair on a seeded put; a TP fill reports, books and cancels the SL", async () => {
    const sim = await startSim();
    const bot = await connectIbApi(sim, 7);
    bot.ib.reqPositions();
    await bot.next(EventName.positionEnd);
    const tp = order({
      orderType: OrderType.LMT,
      lmtPrice: 2.43,
      ocaGroup: "tw:oca:625",
      ocaType: 1,
      orderRef: "tw:tp:625",
    });
    const sl = order({
      orderType: OrderType.STP,
      auxPrice: 18.24,
      ocaGroup: "tw:oca:625",
      ocaType: 1,
      orderRef: "tw:sl:625",
    });
    bot.ib.placeOrder(1_000_000, put(625), tp);
    bot.ib.placeOrder(1_000_001, put(625), sl);

    const [, contract, placed] = (await bot.next(EventName.openOrder, (id) => id === 1_000_000)) as [
      number,
      Contract,
      Order,
    ];
    expect(contract.conId).toBe(optionConId(EXPIRY, 625, "P"));
    expect(placed).toMatchObject({
      orderRef: "tw:tp:625",
      ocaGroup: "tw:oca:625",
      ocaType: 1,
      lmtPrice: 2.43,
      tif: "GTC",
    });
    expect(placed.clientId).toBe(7);
    await bot.next(EventName.orderStatus, (id, status) => id === 1_000_000 && status === "Submitted");
    await bot.next(EventName.orderStatus, (id, status) => id === 1_000_001 && status === "PreSubmitted");
    const permIds = bot.all(EventName.openOrder).map((a) => (a[2] as Order).permId);
    expect(new Set(permIds).size).toBe(permIds.length);
    expect(permIds.every((p) => typeof p === "number" && p > 0)).toBe(true);
    expect(indexOf(bot, EventName.openOrder, (id) => id === 1_000_000)).toBeLessThan(
      indexOf(bot, EventName.orderStatus, (id) => id === 1_000_000),
    );

    const execution = sim.fill({ orderRef: "tw:tp:625" });
    expect(execution.price).toBe(2.43);
    const [, , exec] = (await bot.next(EventName.execDetails, (reqId) => reqId === -1)) as [
      number,
      Contract,
      Execution,
    ];
    expect(exec).toMatchObject({
      orderId: 1_000_000,
      side: "BOT",
      shares: 1,
      price: 2.43,
      orderRef: "tw:tp:625",
      clientId: 7,
    });
    expect(exec.execId).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{8}\.01\.01$/);
    const [report] = (await bot.next(EventName.commissionReport)) as [
      { execId: string; commission: number; realizedPNL: number },
    ];
    expect(report.execId).toBe(exec.execId);
    expect(report.commission).toBe(0.69);
    expect(report.realizedPNL).toBeCloseTo(608 - 243 - 0.69, 6);
    const filled = await bot.next(
      EventName.orderStatus,
      (id, status) => id === 1_000_000 && status === "Filled",
    );
    expect(filled.slice(2, 9)).toEqual([1, 0, 2.43, placed.permId, 0, 2.43, 7]);
    const [, closed] = await bot.next(
      EventName.position,
      (_a, c: Contract, pos: number) => c.strike === 625 && pos === 0,
    );
    expect((closed as Contract).conId).toBe(optionConId(EXPIRY, 625, "P"));
    await bot.next(EventName.orderStatus, (id, status) => id === 1_000_001 && status === "Cancelled");
    await bot.errors.waitFor((e) => e.code === 202 && e.reqId === 1_000_001, "202 for the OCA sibling");

    const order_ = [
      indexOf(bot, EventName.orderStatus, (id, s) => id === 1_000_000 && s === "Filled"),
      indexOf(bot, EventName.execDetails, (reqId) => reqId === -1),
      indexOf(bot, EventName.commissionReport, () => true),
      indexOf(bot, EventName.position, (_a, c: Contract, pos: number) => c.strike === 625 && pos === 0),
      indexOf(bot, EventName.orderStatus, (id, s) => id === 1_000_001 && s === "Cancelled"),
    ];
    expect([...order_].sort((a, b) => a - b)).toEqual(order_);

    bot.ib.reqExecutions(42, {});
    const [, , replay] = (await bot.next(EventName.execDetails, (reqId) => reqId === 42)) as [
      number,
      Contract,
      Execution,
    ];
    expect(replay.execId).toBe(exec.execId);
    await bot.next(EventName.execDetailsEnd, (reqId) => reqId === 42);
    expect(bot.all(EventName.commissionReport)).toHaveLength(2);
    bot.ib.reqExecutions(43, { side: "SELL" });
    await bot.next(EventName.execDetailsEnd, (reqId) => reqId === 43);
    expect(bot.all(EventName.execDetails).filter(([reqId]) => reqId === 43)).toEqual([]);
  });

  it("reprices a limit order when it is placed again with the same id, and fills it once marketable", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 7);
    const id = 1_000_100;
    c.ib.placeOrder(id, put(629), order({ orderType: OrderType.LMT, lmtPrice: 0.5, orderRef: "reprice" }));
    const [, , first] = (await c.next(EventName.openOrder, (i) => i === id)) as [number, Contract, Order];
    c.ib.placeOrder(id, put(629), order({ orderType: OrderType.LMT, lmtPrice: 0.6, orderRef: "reprice" }));
    const [, , second] = (await c.next(
      EventName.openOrder,
      (i, _c, o: Order) => i === id && o.lmtPrice === 0.6,
    )) as [number, Contract, Order];
    expect(second.permId).toBe(first.permId);
    const ask = sim.market.quote(sim.market.byConId(optionConId(EXPIRY, 629, "P"))!).ask;
    c.ib.placeOrder(
      id,
      put(629),
      order({ orderType: OrderType.LMT, lmtPrice: Math.round((ask + 1) * 100) / 100, orderRef: "reprice" }),
    );
    const filled = await c.next(EventName.orderStatus, (i, s) => i === id && s === "Filled");
    expect(filled[4]).toBe(ask);
    c.ib.placeOrder(id, put(629), order({ orderType: OrderType.LMT, lmtPrice: 0.7, orderRef: "reprice" }));
    await c.errors.waitFor((e) => e.reqId === id && e.code === 104, "104 Can't modify a filled order");
  });

  it("cancels: Cancelled + 202 for a live order, 10148 when already done, 10147 for an unknown id", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 7);
    c.ib.cancelOrder(SEED_TP.tpOrderId);
    await c.next(EventName.orderStatus, (id, s) => id === SEED_TP.tpOrderId && s === "Cancelled");
    const e202 = await c.errors.waitFor((e) => e.code === 202, "202");
    expect(e202).toMatchObject({ reqId: SEED_TP.tpOrderId, message: "Order Canceled - reason:" });
    c.ib.cancelOrder(SEED_TP.tpOrderId);
    await c.errors.waitFor((e) => e.code === 10148 && e.reqId === SEED_TP.tpOrderId, "10148");
    c.ib.cancelOrder(424242);
    const e10147 = await c.errors.waitFor((e) => e.code === 10147, "10147");
    expect(e10147).toMatchObject({
      reqId: 424242,
      message: "OrderId 424242 that needs to be cancelled is not found.",
    });
    expect(sim.state().openOrders.map((o) => o.orderId)).toEqual([SEED_TP.slOrderId]);
  });

  it("triggers a BUY STP when the put's ask reaches the stop on two quotes, fills it and cancels the OCA take-profit", async () => {
    const sim = await startSim();
    const c = await connectIbApi(sim, 7);
    await c.next(EventName.orderStatus, (id) => id === SEED_TP.slOrderId);
    sim.setPrice("SPY", 560);
    // Double bid/ask (the default for options): one quote through the stop is not enough.
    expect(sim.state().openOrders.map((o) => o.orderId)).toEqual([SEED_TP.tpOrderId, SEED_TP.slOrderId]);
    sim.setPrice("SPY", 560);
    const filled = await c.next(EventName.orderStatus, (id, s) => id === SEED_TP.slOrderId && s === "Filled");
    expect(filled[4]).toBeGreaterThanOrEqual(SEED_TP.sl);
    await c.next(EventName.orderStatus, (id, s) => id === SEED_TP.tpOrderId && s === "Cancelled");
    const [state] = [sim.state()];
    expect(state.positions.find((p) => p.strike === 624)?.pos).toBe(0);
    expect(state.executions[0]?.realizedPNL).toBeLessThan(0);
  });

  it("keeps orders with their client id across reconnects and pushes them on connect", async () => {
    const sim = await startSim();
    const first = await connectIbApi(sim, 7);
    await first.next(EventName.orderStatus, (id) => id === SEED_TP.slOrderId);
    const pushed = first.all(EventName.openOrder).map(([id]) => id);
    expect(pushed).toEqual([SEED_TP.tpOrderId, SEED_TP.slOrderId]);
    const gone = simEvent(sim, "disconnect");
    await first.disconnect();
    await gone;

    const other = await connectIbApi(sim, 8);
    other.ib.reqOpenOrders();
    await other.next(EventName.openOrderEnd);
    expect(other.all(EventName.openOrder)).toEqual([]);
    other.ib.cancelOrder(SEED_TP.tpOrderId);
    await other.errors.waitFor((e) => e.code === 10147, "10147: not this client's order");
    other.ib.reqAllOpenOrders();
    await other.next(EventName.openOrderEnd, () => other.all(EventName.openOrderEnd).length === 2);
    const all = other
      .all(EventName.openOrder)
      .map(([id, , o]) => [id, (o as Order).clientId, (o as Order).orderRef]);
    expect(all).toEqual([
      [SEED_TP.tpOrderId, 7, SEED_TP.tpRef],
      [SEED_TP.slOrderId, 7, SEED_TP.slRef],
    ]);

    const again = await connectIbApi(sim, 7);
    again.ib.reqOpenOrders();
    await again.next(EventName.openOrderEnd);
    expect(again.all(EventName.openOrder)).toHaveLength(4);
    again.ib.reqAutoOpenOrders(true);
    await again.next(EventName.openOrderEnd, () => again.all(EventName.openOrderEnd).length === 2);
    expect(again.all(EventName.openOrder)).toHaveLength(6);
    again.ib.cancelOrder(SEED_TP.tpOrderId);
    await again.next(EventName.orderStatus, (id, s) => id === SEED_TP.tpOrderId && s === "Cancelled");
  });

  it("does not push open orders on connect when downloadOpenOrdersOnConnect is off", async () => {
    const sim = await startSim({ downloadOpenOrdersOnConnect: false });
    const c = await connectIbApi(sim, 7);
    c.ib.reqCurrentTime();
    await c.next(EventName.currentTime);
    expect(c.all(EventName.openOrder)).toEqual([]);
  });

  it("global cancel cancels every client's orders; the owner hears Cancelled + 202", async () => {
    const sim = await startSim();
    const owner = await connectIbApi(sim, 7);
    const other = await connectIbApi(sim, 9);
    other.ib.reqGlobalCancel();
    await owner.next(EventName.orderStatus, (id, s) => id === SEED_TP.tpOrderId && s === "Cancelled");
    await owner.next(EventName.orderStatus, (id, s) => id === SEED_TP.slOrderId && s === "Cancelled");
    expect(sim.state().openOrders).toEqual([]);
  });

  it("fills a market order at the touch; an opening fill has no realized P&L", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
    const contract = sim.market.byConId(optionConId(EXPIRY, 600, "P"))!;
    const bid = sim.market.quote(contract).bid;
    c.ib.placeOrder(
      50,
      { conId: contract.conId, exchange: "SMART" },
      order({ action: OrderAction.SELL, orderType: OrderType.MKT }),
    );
    const [, , exec] = (await c.next(EventName.execDetails)) as [number, Contract, Execution];
    expect(exec).toMatchObject({ side: "SLD", price: bid });
    const [report] = (await c.next(EventName.commissionReport)) as [{ realizedPNL?: number }];
    expect(report.realizedPNL).toBeUndefined();
    const [, , pos, avgCost] = await c.next(
      EventName.position,
      (_a, k: Contract) => k.conId === contract.conId,
    );
    expect(pos).toBe(-1);
    // IB's avgCost of a short is the credit net of the opening commission.
    expect(avgCost).toBeCloseTo(bid * 100 - 0.69, 6);
  });

  it("puts the opening commission into avgCost; the closing report's realized P&L is net of both commissions", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    c.ib.reqPositions();
    await c.next(EventName.positionEnd);
    const contract: Contract = { conId: optionConId(EXPIRY, 600, "P"), exchange: "SMART" };
    c.ib.placeOrder(
      20,
      contract,
      order({ action: OrderAction.SELL, orderType: OrderType.LMT, lmtPrice: 90, totalQuantity: 2 }),
    );
    await c.next(EventName.orderStatus, (id) => id === 20);
    sim.fill({ orderId: 20 }, 6);
    const [, , , avgCost] = await c.next(
      EventName.position,
      (_a, k: Contract, pos: number) => k.conId === contract.conId && pos === -2,
    );
    expect(avgCost).toBeCloseTo(600 - 0.69, 6);
    c.ib.placeOrder(21, contract, order({ orderType: OrderType.LMT, lmtPrice: 0.05, totalQuantity: 2 }));
    await c.next(EventName.orderStatus, (id) => id === 21);
    const close = sim.fill({ orderId: 21 }, 3);
    const [report] = (await c.next(
      EventName.commissionReport,
      (r: { execId: string }) => r.execId === close.execId,
    )) as [{ commission: number; realizedPNL: number }];
    expect(report.commission).toBe(1.38);
    expect(report.realizedPNL).toBeCloseTo(2 * (600 - 300) - 1.38 - 1.38, 6);
  });

  it("holds transmit=false orders until a child transmits the bracket; children work once the parent fills", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    c.ib.placeOrder(
      10,
      put(600),
      order({ action: OrderAction.SELL, orderType: OrderType.LMT, lmtPrice: 50, transmit: false }),
    );
    await c.next(EventName.orderStatus, (id, s) => id === 10 && s === "PreSubmitted");
    c.ib.placeOrder(
      11,
      put(600),
      order({ orderType: OrderType.LMT, lmtPrice: 0.01, parentId: 10, transmit: true }),
    );
    await c.next(EventName.orderStatus, (id, s) => id === 10 && s === "Submitted");
    await c.next(EventName.orderStatus, (id, s) => id === 11 && s === "PreSubmitted");
    sim.fill({ orderId: 10 }, 5);
    await c.next(EventName.orderStatus, (id, s) => id === 11 && s === "Submitted");
  });

  it("rejects prices off the cent grid (110) and unknown contracts (200), tied to the order id", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    c.ib.placeOrder(60, put(600), order({ orderType: OrderType.LMT, lmtPrice: 2.435 }));
    await c.errors.waitFor((e) => e.reqId === 60 && e.code === 110, "110");
    c.ib.placeOrder(61, { ...put(600), strike: 600.5 }, order({ orderType: OrderType.LMT, lmtPrice: 2.4 }));
    const e200 = await c.errors.waitFor((e) => e.reqId === 61, "200");
    expect(e200).toMatchObject({
      code: 200,
      message: "No security definition has been found for the request",
    });
    expect(sim.state().orders).toEqual([]);
  });
});
