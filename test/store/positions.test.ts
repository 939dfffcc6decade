import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/store/database.js";
import {
  closePosition,
  insertPosition,
  openPositionByContract,
  openPositions,
  positionById,
  setPositionQuantity,
} from "../../src/store/positions.js";
import { at, memoryDatabase, spyPut, T0 } from "./fixtures.js";

describe("positions", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  it("inserts an open position with the default multiplier", async () => {
    const position = await insertPosition(store.db, spyPut, T0);
    expect(position).toMatchObject({
      id: 1,
      status: "open",
      multiplier: 100,
      quantity: -1,
      entry_price: 6.16,
      right: "P",
      opened_at: "2026-02-04T14:42:00.000Z",
      closed_at: null,
    });
    expect(await positionById(store.db, position.id)).toEqual(position);
  });

  it("lists open positions, by strategy, and finds one by contract", async () => {
    const a = await insertPosition(store.db, spyPut, T0);
    const b = await insertPosition(store.db, { ...spyPut, strategy: "other", conId: 2 }, T0);
    expect((await openPositions(store.db)).map((p) => p.id)).toEqual([a.id, b.id]);
    expect((await openPositions(store.db, "spy-put")).map((p) => p.id)).toEqual([a.id]);
    expect((await openPositionByContract(store.db, spyPut.conId, spyPut.account))?.id).toBe(a.id);
    expect(await openPositionByContract(store.db, spyPut.conId, "U999")).toBeUndefined();
  });

  it("closes an open position once", async () => {
    const { id } = await insertPosition(store.db, spyPut, T0);
    const close = { status: "closed", closePrice: 2.46, reason: "tp", closedAt: at(3600) } as const;
    const closed = await closePosition(store.db, id, close, at(3601));
    expect(closed).toMatchObject({ status: "closed", close_price: 2.46, close_reason: "tp" });
    expect(closed?.closed_at).toBe(at(3600).toISOString());
    expect(await closePosition(store.db, id, close, at(3700))).toBeUndefined();
    expect(await openPositions(store.db)).toEqual([]);
  });

  it("updates the quantity", async () => {
    const { id } = await insertPosition(store.db, { ...spyPut, quantity: -2 }, T0);
    await setPositionQuantity(store.db, id, -1, at(60));
    expect(await positionById(store.db, id)).toMatchObject({
      quantity: -1,
      updated_at: at(60).toISOString(),
    });
  });
});
