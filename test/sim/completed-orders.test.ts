import { type Contract, EventName, type Order, type OrderState } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId } from "../../src/sim/index.js";
import { connectIbApi, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const exits = JOURNAL.puts[0].exits;

describe("reqCompletedOrders", () => {
  it("returns filled, OCA-cancelled, cancelled and expired orders across days (unlike reqExecutions); apiOnly leaves out manual ones", async () => {
    let now = TEST_NOW;
    const sim = await startSim({ now: () => now });
    const c = await connectIbApi(sim, 7);
    sim.fill({ orderRef: exits.tpRef });
    const manual = sim.placeOrder({
      conId: optionConId(EXPIRY, 625, "P"),
      action: "BUY",
      quantity: 1,
      orderType: "LMT",
      lmtPrice: 0.05,
    });
    sim.cancel(manual.orderId, 0);
    const put629 = optionConId(EXPIRY, 629, "P");
    sim.placeOrder({
      clientId: 7,
      conId: put629,
      action: "BUY",
      quantity: 1,
      orderType: "LMT",
      lmtPrice: 0.05,
      orderRef: "tp629",
    });
    sim.expire(put629);

    now = new Date(TEST_NOW.getTime() + 3 * 86_400_000); // Monday
    c.ib.reqExecutions(1, {});
    await c.next(EventName.execDetailsEnd, (reqId) => reqId === 1);
    expect(c.all(EventName.execDetails).filter(([r]) => r === 1)).toEqual([]);

    c.ib.reqCompletedOrders(false);
    await c.next(EventName.completedOrdersEnd);
    const rows = c.all(EventName.completedOrder).map(([k, o, s]) => {
      const [contract, order, state] = [k as Contract, o as Order, s as OrderState];
      return [
        contract.strike,
        order.orderRef,
        order.permId !== undefined,
        state.status,
        state.completedStatus,
      ];
    });
    expect(rows).toEqual([
      [624, exits.tpRef, true, "Filled", "Filled"],
      [624, exits.slRef, true, "Cancelled", "Cancelled by System: OCA group"],
      [625, "", true, "Cancelled", "Cancelled by Trader"],
      [629, "tp629", true, "Cancelled", "Cancelled by System: option expired"],
    ]);
    const [, tp, tpState] = c.all(EventName.completedOrder)[0] as [Contract, Order, OrderState];
    expect(tp).toMatchObject({
      action: "BUY",
      totalQuantity: 1,
      lmtPrice: exits.tp,
      ocaGroup: exits.ocaGroup,
      ocaType: 1,
      filledQuantity: 1,
    });
    expect(tpState.completedTime).toBe("20261120 10:00:00 US/Eastern");

    c.ib.reqCompletedOrders(true);
    await c.next(EventName.completedOrdersEnd, () => c.all(EventName.completedOrdersEnd).length === 2);
    expect(
      c
        .all(EventName.completedOrder)
        .slice(4)
        .map(([, o]) => (o as Order).orderRef),
    ).toEqual([exits.tpRef, exits.slRef, "tp629"]);
  });
});
