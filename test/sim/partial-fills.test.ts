import { type Contract, EventName, type Execution, type Order, OrderAction, OrderType } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { expirationNear, JOURNAL, optionConId, startControlServer } from "../../src/sim/index.js";
import { connectIbApi, onCleanup, startSim, TEST_NOW } from "./helpers.js";

const EXPIRY = expirationNear(TEST_NOW, JOURNAL.targetDte);
const PUT_600: Contract = { conId: optionConId(EXPIRY, 600, "P"), exchange: "SMART" };

function exit(fields: Partial<Order>): Order {
  return { action: OrderAction.BUY, totalQuantity: 3, tif: "GTC", transmit: true, ...fields } as Order;
}

async function ocaPair(ocaType: number) {
  const sim = await startSim({
    seed: {
      positions: [
        { contract: { secType: "OPT", expiry: EXPIRY, strike: 600, right: "P" }, qty: -3, price: 5 },
      ],
    },
  });
  const c = await connectIbApi(sim, 7);
  c.ib.placeOrder(100, PUT_600, exit({ orderType: OrderType.LMT, lmtPrice: 0.05, ocaGroup: "g", ocaType }));
  c.ib.placeOrder(101, PUT_600, exit({ orderType: OrderType.STP, auxPrice: 60, ocaGroup: "g", ocaType }));
  await c.next(EventName.orderStatus, (id) => id === 101);
  return { sim, c };
}

describe("partial fills and OCA types", () => {
  it("fills part of an order: Submitted with filled/remaining, an execution of that quantity; the rest fills later", async () => {
    const { sim, c } = await ocaPair(3);
    const first = sim.fill({ orderId: 100 }, 1.5, 1);
    expect(first).toMatchObject({ shares: 1, price: 1.5, cumQty: 1 });
    const status = await c.next(EventName.orderStatus, (id, _s, filled) => id === 100 && filled === 1);
    expect(status.slice(1, 5)).toEqual(["Submitted", 1, 2, 1.5]);
    const [, , exec] = (await c.next(EventName.execDetails)) as [number, Contract, Execution];
    expect(exec).toMatchObject({ shares: 1, cumQty: 1, avgPrice: 1.5 });
    // ocaType 3: the stop is reduced by the filled quantity, not cancelled.
    const [, , reduced] = (await c.next(
      EventName.openOrder,
      (id, _c, o: Order) => id === 101 && o.totalQuantity === 2,
    )) as [number, Contract, Order];
    expect(reduced.totalQuantity).toBe(2);
    expect(sim.state().positions[0]?.pos).toBe(-2);

    sim.fill({ orderId: 100 }, 1.8);
    const done = await c.next(EventName.orderStatus, (id, s) => id === 100 && s === "Filled");
    expect(done.slice(2, 5)).toEqual([3, 0, 1.7]);
    await c.next(EventName.orderStatus, (id, s) => id === 101 && s === "Cancelled");
    expect(() => sim.fill({ orderId: 100 })).toThrow(/no live order/);
  });

  it("ocaType 2 reduces too; ocaType 1 cancels the siblings on a partial fill", async () => {
    const two = await ocaPair(2);
    two.sim.fill({ orderId: 100 }, 1, 2);
    await two.c.next(EventName.openOrder, (id, _c, o: Order) => id === 101 && o.totalQuantity === 1);
    expect(two.sim.state().openOrders.map((o) => [o.orderId, o.totalQuantity - o.filled])).toEqual([
      [100, 1],
      [101, 1],
    ]);

    const one = await ocaPair(1);
    one.sim.fill({ orderId: 100 }, 1, 1);
    await one.c.next(EventName.orderStatus, (id, s) => id === 101 && s === "Cancelled");
    await one.c.errors.waitFor((e) => e.reqId === 101 && e.code === 202, "202 for the sibling");
    expect(one.sim.state().openOrders.map((o) => o.orderId)).toEqual([100]);
    expect(() => one.sim.fill({ orderId: 100 }, 1, 5)).toThrow(/2 left/);
  });

  it("POST /fill takes a quantity", async () => {
    const { sim } = await ocaPair(3);
    const control = await startControlServer(sim);
    onCleanup(() => control.close());
    const res = await fetch(`http://127.0.0.1:${control.port}/fill`, {
      method: "POST",
      body: JSON.stringify({ orderId: 100, quantity: 2 }),
    });
    const body = (await res.json()) as { execution: { shares: number; cumQty: number } };
    expect(body.execution).toMatchObject({ shares: 2, cumQty: 2 });
    expect(sim.state().openOrders.find((o) => o.orderId === 100)).toMatchObject({
      status: "Submitted",
      filled: 2,
    });
  });
});
