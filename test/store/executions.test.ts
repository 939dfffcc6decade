import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/store/database.js";
import {
  executionById,
  executionsForOrder,
  executionsSince,
  linkExecution,
  type NewExecution,
  recordExecution,
  setExecutionCommission,
} from "../../src/store/executions.js";
import { journalOrder } from "../../src/store/orders.js";
import { insertPosition } from "../../src/store/positions.js";
import { at, exitOrder, memoryDatabase, spyPut, T0 } from "./fixtures.js";

const fill: NewExecution = {
  execId: "0000e0d5.65f2a1b3.01.01",
  orderRef: "tw:tp:1",
  brokerOrderId: 1001,
  permId: 555,
  conId: spyPut.conId,
  side: "BOT",
  shares: 1,
  price: 2.46,
  executedAt: at(3600),
  receivedAt: at(3601),
};

describe("executions", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  it("records an execution once: a replay returns false and changes nothing", async () => {
    expect(await recordExecution(store.db, fill)).toBe(true);
    expect(await recordExecution(store.db, { ...fill, price: 99, receivedAt: at(7200) })).toBe(false);
    const stored = await executionById(store.db, fill.execId);
    expect(stored).toMatchObject({ price: 2.46, received_at: at(3601).toISOString(), commission: null });
  });

  it("adds the commission report that arrives later", async () => {
    await recordExecution(store.db, fill);
    expect(await setExecutionCommission(store.db, fill.execId, 1.05, 367.9)).toBe(true);
    expect(await setExecutionCommission(store.db, "unknown", 1, null)).toBe(false);
    expect(await executionById(store.db, fill.execId)).toMatchObject({
      commission: 1.05,
      realized_pnl: 367.9,
    });
  });

  it("lists executions since a time, in execution order", async () => {
    await recordExecution(store.db, { ...fill, execId: "b", executedAt: at(20) });
    await recordExecution(store.db, { ...fill, execId: "a", executedAt: at(10) });
    await recordExecution(store.db, { ...fill, execId: "old", executedAt: at(-10) });
    expect((await executionsSince(store.db, T0)).map((e) => e.exec_id)).toEqual(["a", "b"]);
  });

  it("links an execution to its journal order and position", async () => {
    const position = await insertPosition(store.db, spyPut, T0);
    const order = await journalOrder(store.db, exitOrder(position.id, "tp"), T0);
    await recordExecution(store.db, fill);
    await linkExecution(store.db, fill.execId, { orderId: order.id, positionId: position.id });
    expect(await executionById(store.db, fill.execId)).toMatchObject({
      order_id: order.id,
      position_id: position.id,
    });
    expect((await executionsForOrder(store.db, order.id)).map((e) => e.exec_id)).toEqual([fill.execId]);
  });
});
