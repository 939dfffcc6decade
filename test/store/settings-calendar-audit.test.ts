import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { audit, recentAuditEvents } from "../../src/store/audit.js";
import { tradingDay, tradingDaysBetween, upsertTradingDays } from "../../src/store/calendar.js";
import type { DatabaseHandle } from "../../src/store/database.js";
import { deleteSetting, getSetting, setSetting } from "../../src/store/settings.js";
import { at, memoryDatabase, T0 } from "./fixtures.js";

describe("settings, calendar and audit log", () => {
  let store: DatabaseHandle;
  beforeEach(async () => {
    store = await memoryDatabase();
  });
  afterEach(() => store.close());

  it("reads a setting's fallback, then the stored value, overwriting on set", async () => {
    expect(await getSetting(store.db, "schedule.paused", false)).toBe(false);
    await setSetting(store.db, "schedule.paused", true, T0);
    await setSetting(store.db, "schedule.paused", { by: "discord:1", until: null }, at(1));
    expect(await getSetting(store.db, "schedule.paused", {})).toEqual({ by: "discord:1", until: null });
    await deleteSetting(store.db, "schedule.paused");
    expect(await getSetting(store.db, "schedule.paused", "fallback")).toBe("fallback");
  });

  it("upserts trading days in one transaction", async () => {
    await upsertTradingDays(
      store.db,
      [
        {
          day: "2026-02-04",
          status: "open",
          openAt: new Date("2026-02-04T14:30:00Z"),
          closeAt: new Date("2026-02-04T21:00:00Z"),
          source: "ib:liquidHours",
        },
        { day: "2026-02-16", status: "closed", openAt: null, closeAt: null, source: "ib:liquidHours" },
      ],
      T0,
    );
    await upsertTradingDays(
      store.db,
      [
        {
          day: "2026-02-04",
          status: "open",
          openAt: new Date("2026-02-04T14:30:00Z"),
          closeAt: new Date("2026-02-04T18:00:00Z"),
          source: "manual",
        },
      ],
      at(60),
    );
    expect(await tradingDay(store.db, "2026-02-04")).toEqual({
      day: "2026-02-04",
      status: "open",
      open_at: "2026-02-04T14:30:00.000Z",
      close_at: "2026-02-04T18:00:00.000Z",
      source: "manual",
      updated_at: at(60).toISOString(),
    });
    expect((await tradingDaysBetween(store.db, "2026-02-01", "2026-02-28")).map((d) => d.status)).toEqual([
      "open",
      "closed",
    ]);
    expect(await tradingDay(store.db, "2026-02-05")).toBeUndefined();
  });

  it("rolls back every day when one fails", async () => {
    const bad = { day: "2026-02-05", status: "open", openAt: null, closeAt: null, source: null } as never;
    const good = { day: "2026-02-04", status: "open", openAt: null, closeAt: null, source: "ib" } as const;
    await expect(upsertTradingDays(store.db, [good, bad], T0)).rejects.toThrow(/NOT NULL/);
    expect(await tradingDay(store.db, "2026-02-04")).toBeUndefined();
  });

  it("appends audit events, newest first", async () => {
    await audit(store.db, "schedule", "entry.placed", { orderRef: "tw:entry:2026-02-04:SPY-P" }, T0);
    await audit(store.db, "discord:123", "approval.approved", { id: "abc123" }, at(1));
    const events = await recentAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      ["discord:123", "approval.approved"],
      ["schedule", "entry.placed"],
    ]);
    expect(events[1]?.detail).toEqual({ orderRef: "tw:entry:2026-02-04:SPY-P" });
  });
});
