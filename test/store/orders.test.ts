import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/store/database.js";
import {
  DuplicateOrderRefError,
  journalOrder,
  liveExitOrders,
  orderByBrokerId,
  orderByPermId,
  orderByRef,
  ordersForPosition,
  ordersInState,
  updateOrderState,
} from "../../src/store/orders.js";
import { insertPosition } from "../../src/store/positions.js";
import { at, exitOrder, memoryDatabase, spyPut, T0 } from "./fixtures.js";

describe("orders (the journal)", () => {
  let store: DatabaseHandle;
  let positionId: number;
  beforeEach(async () => {
    store = await memoryDatabase();
    positionId = (await insertPosition(store.db, spyPut, T0)).id;
  });
  afterEach(() => store.close());

  it("journals an order before transmission", async () => {
    const order = await journalOrder(store.db, exitOrder(positionId, "tp"), T0);
    expect(order).toMatchObject({
      order_ref: `tw:tp:${positionId}`,
      state: "journaled",
      filled_qty: 0,
      broker_order_id: null,
      limit_price: 2.46,
      aux_price: null,
      created_at: T0.toISOString(),
    });
    expect(await orderByRef(store.db, order.order_ref)).toEqual(order);
  });

  it("rejects a duplicate orderRef with a typed error and keeps the first", async () => {
    const first = await journalOrder(store.db, exitOrder(positionId, "tp"), T0);
    const duplicate = journalOrder(store.db, { ...exitOrder(positionId, "tp"), limitPrice: 1 }, at(5));
    await expect(duplicate).rejects.toBeInstanceOf(DuplicateOrderRefError);
    await expect(duplicate).rejects.toThrow(`"tw:tp:${positionId}" is already in the journal`);
    expect(await ordersForPosition(store.db, positionId)).toEqual([first]);
  });

  it("rejects a non-positive quantity", async () => {
    await expect(
      journalOrder(store.db, { ...exitOrder(positionId, "tp"), quantity: -1 }, T0),
    ).rejects.toThrow(/CHECK/);
  });

  it("records broker ids and state changes, and finds orders by them", async () => {
    const { id } = await journalOrder(store.db, exitOrder(positionId, "sl"), T0);
    const updated = await updateOrderState(
      store.db,
      id,
      { state: "acknowledged", brokerOrderId: 1001, permId: 555, clientId: 7 },
      at(1),
    );
    expect(updated).toMatchObject({
      state: "acknowledged",
      broker_order_id: 1001,
      perm_id: 555,
      client_id: 7,
    });
    expect(updated?.updated_at).toBe(at(1).toISOString());
    expect((await orderByBrokerId(store.db, 1001))?.id).toBe(id);
    expect((await orderByBrokerId(store.db, 1001, 7))?.id).toBe(id);
    expect(await orderByBrokerId(store.db, 1001, 8)).toBeUndefined();
    expect((await orderByPermId(store.db, 555))?.id).toBe(id);

    const filled = await updateOrderState(
      store.db,
      id,
      { state: "filled", filledQty: 1, avgFillPrice: 18.5 },
      at(2),
    );
    expect(filled).toMatchObject({ state: "filled", filled_qty: 1, avg_fill_price: 18.5, perm_id: 555 });
  });

  it("lists the working exits of a position and orders by state", async () => {
    const tp = await journalOrder(store.db, exitOrder(positionId, "tp"), T0);
    const sl = await journalOrder(store.db, exitOrder(positionId, "sl"), T0);
    await journalOrder(
      store.db,
      {
        ...exitOrder(positionId, "tp"),
        orderRef: "tw:entry:2026-02-04:SPY-P",
        intent: "entry",
        action: "SELL",
      },
      T0,
    );
    await updateOrderState(store.db, tp.id, { state: "acknowledged" }, at(1));
    expect((await liveExitOrders(store.db, positionId)).map((o) => o.id)).toEqual([tp.id, sl.id]);

    await updateOrderState(store.db, sl.id, { state: "cancelled" }, at(2));
    expect((await liveExitOrders(store.db, positionId)).map((o) => o.intent)).toEqual(["tp"]);
    expect((await ordersInState(store.db, ["cancelled"])).map((o) => o.id)).toEqual([sl.id]);
    expect(await ordersInState(store.db, [])).toEqual([]);
  });
});
