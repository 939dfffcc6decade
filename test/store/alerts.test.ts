import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  alertById,
  enqueueAlert,
  markAlertDelivered,
  markAlertFailed,
  undeliveredAlerts,
  undeliveredCount,
} from "../../src/store/alerts.js";
import type { DatabaseHandle } from "../../src/store/database.js";
import { insertPosition } from "../../src/store/positions.js";
import { at, memoryDatabase, spyPut, T0 } from "./fixtures.js";

describe("alerts (the outbox)", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  it("hands out undelivered alerts in the order they were raised", async () => {
    const a = await enqueueAlert(
      store.db,
      { type: "disconnected", severity: "urgent", payload: { reason: "x" } },
      T0,
    );
    const b = await enqueueAlert(store.db, { type: "fill", severity: "info", payload: {} }, at(1));
    expect(a).toMatchObject({ attempts: 0, delivered_at: null, next_attempt_at: T0.toISOString() });
    expect(a.payload).toEqual({ reason: "x" });
    expect((await undeliveredAlerts(store.db)).map((x) => x.id)).toEqual([a.id, b.id]);
    expect((await undeliveredAlerts(store.db, 1)).map((x) => x.id)).toEqual([a.id]);
  });

  it("counts failed attempts, records the next one and delivers once", async () => {
    const { id } = await enqueueAlert(store.db, { type: "fill", severity: "info", payload: {} }, T0);
    await markAlertFailed(store.db, id, "Discord unreachable", at(5));
    expect(await alertById(store.db, id)).toMatchObject({
      attempts: 1,
      last_error: "Discord unreachable",
      next_attempt_at: at(5).toISOString(),
    });
    await markAlertFailed(store.db, id, "503", at(15));
    expect((await alertById(store.db, id))?.attempts).toBe(2);
    expect(await undeliveredCount(store.db)).toBe(1);

    await markAlertDelivered(store.db, id, at(15), "chan/msg");
    expect(await alertById(store.db, id)).toMatchObject({
      delivered_at: at(15).toISOString(),
      chat_ref: "chan/msg",
      last_error: null,
    });
    expect(await undeliveredAlerts(store.db)).toEqual([]);
    expect(await undeliveredCount(store.db)).toBe(0);
  });

  it("is written with the change that raised it, or not at all", async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insertPosition(trx, spyPut, T0);
        await enqueueAlert(trx, { type: "fill", severity: "info", payload: {} }, T0);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await undeliveredCount(store.db)).toBe(0);
  });
});
