import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/store/database.js";
import { claimEntryRun, entryRun, recentEntryRuns, updateEntryRun } from "../../src/store/entryRuns.js";
import { at, memoryDatabase, T0 } from "./fixtures.js";

describe("entry runs", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  it("lets only the first claimant have the day's entry", async () => {
    const claims = await Promise.all([
      claimEntryRun(store.db, "spy-put", "2026-02-04", T0),
      claimEntryRun(store.db, "spy-put", "2026-02-04", T0),
    ]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await claimEntryRun(store.db, "spy-put", "2026-02-04", at(60), "scheduled")).toBe(false);
    expect(await claimEntryRun(store.db, "spy-put", "2026-02-05", at(60))).toBe(true);
    expect(await claimEntryRun(store.db, "other", "2026-02-04", at(60))).toBe(true);
    expect(await entryRun(store.db, "spy-put", "2026-02-04")).toMatchObject({
      status: "placing",
      order_ref: null,
    });
  });

  it("updates a run, and takes over a missed run exactly once", async () => {
    await claimEntryRun(store.db, "spy-put", "2026-02-04", T0, "missed", "gateway disconnected");
    const takeOver = () =>
      updateEntryRun(store.db, "spy-put", "2026-02-04", { status: "placing", reason: null }, at(60), [
        "missed",
      ]);
    expect(await Promise.all([takeOver(), takeOver()])).toEqual([true, false]);

    expect(
      await updateEntryRun(
        store.db,
        "spy-put",
        "2026-02-04",
        { status: "placed", orderRef: "tw:entry:2026-02-04:SPY-P" },
        at(61),
      ),
    ).toBe(true);
    expect(await entryRun(store.db, "spy-put", "2026-02-04")).toMatchObject({
      status: "placed",
      reason: null,
      order_ref: "tw:entry:2026-02-04:SPY-P",
      updated_at: at(61).toISOString(),
      created_at: T0.toISOString(),
    });
    expect(await updateEntryRun(store.db, "spy-put", "2026-02-09", { status: "failed" }, at(62))).toBe(false);
    expect((await recentEntryRuns(store.db)).map((r) => r.trading_day)).toEqual(["2026-02-04"]);
  });
});
