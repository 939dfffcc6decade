import { type Contract, EventName, type Order, OrderAction, type OrderState, OrderType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId } from "../../src/sim/index.js";
import { connectIbApi, startSim, TEST_NOW } from "./helpers.js";

const PUT_600: Contract = {
  conId: optionConId(expirationNear(TEST_NOW, JOURNAL.targetDte), 600, "P"),
  exchange: "SMART",
};

describe("whatIf orders", () => {
  it("answers a margin preview in the openOrder's orderState; the order is never live and never fills", async () => {
    const sim = await startSim({ seed: "empty" });
    const c = await connectIbApi(sim, 7);
    const sell = {
      action: OrderAction.SELL,
      orderType: OrderType.MKT,
      totalQuantity: 2,
      tif: "DAY",
      transmit: true,
      whatIf: true,
    } as Order;
    c.ib.placeOrder(40, PUT_600, sell);
    const [, , order, state] = (await c.next(EventName.openOrder, (id) => id === 40)) as [
      number,
      Contract,
      Order,
      OrderState,
    ];
    expect(order.whatIf).toBe(true);
    expect(state.initMarginChange).toBeGreaterThan(0);
    expect(state.maintMarginChange).toBeGreaterThan(0);
    expect(state.initMarginAfter).toBeCloseTo(
      (state.initMarginBefore ?? 0) + (state.initMarginChange ?? 0),
      2,
    );
    expect(state.commission).toBe(1.38);
    expect(state.commissionCurrency).toBe("USD");
    expect(state.equityWithLoanChange).toBeLessThan(0);
    c.ib.reqAllOpenOrders();
    await c.next(EventName.openOrderEnd);
    expect(sim.state().orders).toEqual([]);
    expect(sim.state().executions).toEqual([]);
    expect(c.all(EventName.orderStatus)).toEqual([]);
    c.ib.placeOrder(41, PUT_600, { ...sell, whatIf: false });
    await c.next(EventName.orderStatus, (id, s) => id === 41 && s === "Filled");
  });
});
