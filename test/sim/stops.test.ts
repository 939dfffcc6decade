import { type Contract, EventName, type Order, OrderAction, OrderType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId } from "../../src/sim/index.js";
import { connectIbApi, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const CONID = optionConId(EXPIRY, 600, "P");
const PUT_600: Contract = { conId: CONID, exchange: "SMART" };

async function setup() {
  const sim = await startSim({ seed: "empty" });
  const c = await connectIbApi(sim, 7);
  const contract = sim.market.byConId(CONID)!;
  const quoteAt = (spot: number) => {
    const before = sim.market.spot;
    sim.market.setSpot(spot);
    const q = sim.market.quote(contract);
    sim.market.setSpot(before);
    return q;
  };
  return { sim, c, quoteAt };
}

const stop = (fields: Partial<Order>): Order =>
  ({ action: OrderAction.BUY, totalQuantity: 1, tif: "GTC", transmit: true, ...fields }) as Order;

describe("stop orders as IB triggers them", () => {
  it("default trigger (double bid/ask): two consecutive asks at or above the stop, then a market fill at the ask", async () => {
    const { sim, c, quoteAt } = await setup();
    const at620 = quoteAt(620);
    const auxPrice = Math.floor(at620.ask * 100 - 50) / 100;
    c.ib.placeOrder(10, PUT_600, stop({ orderType: OrderType.STP, auxPrice }));
    await c.next(EventName.orderStatus, (id, s) => id === 10 && s === "PreSubmitted");
    sim.setPrice("SPY", 620);
    sim.setPrice("SPY", 680); // back below: the count starts again
    sim.setPrice("SPY", 620);
    expect(sim.state().openOrders[0]).toMatchObject({ status: "PreSubmitted", triggerHits: 1 });
    sim.setPrice("SPY", 615);
    const filled = await c.next(EventName.orderStatus, (id, s) => id === 10 && s === "Filled");
    expect(filled[4]).toBe(quoteAt(615).ask);
    expect(filled[4]).toBeGreaterThan(auxPrice);
    const [, , o] = (await c.next(EventName.openOrder, (id) => id === 10)) as [number, Contract, Order];
    expect(o.triggerMethod).toBe(0);
  });

  it("triggerMethod 8 (mid-point) triggers on one quote whose mid reaches the stop", async () => {
    const { sim, c, quoteAt } = await setup();
    const q = quoteAt(620);
    const auxPrice = Math.floor(((q.bid + q.ask) / 2) * 100) / 100;
    c.ib.placeOrder(11, PUT_600, stop({ orderType: OrderType.STP, auxPrice, triggerMethod: 8 }));
    const [, , placed] = (await c.next(EventName.openOrder, (id) => id === 11)) as [number, Contract, Order];
    expect(placed.triggerMethod).toBe(8);
    sim.setPrice("SPY", 620);
    await c.next(EventName.orderStatus, (id, s) => id === 11 && s === "Filled");
  });

  it("STP LMT triggers like a stop, then fills only while the ask is at or below the limit", async () => {
    const { sim, c, quoteAt } = await setup();
    const at640 = quoteAt(640).ask;
    c.ib.placeOrder(
      12,
      PUT_600,
      stop({ orderType: OrderType.STP_LMT, auxPrice: at640, lmtPrice: at640 + 0.05 }),
    );
    await c.next(EventName.orderStatus, (id, s) => id === 12 && s === "PreSubmitted");
    sim.setPrice("SPY", 600);
    sim.setPrice("SPY", 600);
    await c.next(EventName.orderStatus, (id, s) => id === 12 && s === "Submitted");
    expect(sim.state().executions).toEqual([]);
    sim.setPrice("SPY", 640);
    const filled = await c.next(EventName.orderStatus, (id, s) => id === 12 && s === "Filled");
    expect(filled[4]).toBe(at640);
    c.ib.placeOrder(13, PUT_600, stop({ orderType: OrderType.STP_LMT, auxPrice: 5 }));
    const e201 = await c.errors.waitFor((e) => e.reqId === 13, "201 without a limit");
    expect(e201.message).toContain("limit price");
  });

  it("sim.fill fills an untriggered stop at once", async () => {
    const { sim, c } = await setup();
    c.ib.placeOrder(14, PUT_600, stop({ orderType: OrderType.STP, auxPrice: 80 }));
    await c.next(EventName.orderStatus, (id) => id === 14);
    expect(sim.fill({ orderId: 14 }).price).toBe(80);
  });
});
