import { describe, expect, it } from "vitest";
import { isEntryAllowed, type TradingDayLike } from "../../src/trading/domain/entry-window.js";

const winterDay: TradingDayLike = {
  day: "2026-02-04",
  status: "open",
  openAt: "2026-02-04T14:30:00.000Z",
  closeAt: "2026-02-04T21:00:00.000Z",
};
const summerDay: TradingDayLike = {
  day: "2026-07-15",
  status: "open",
  openAt: new Date("2026-07-15T13:30:00.000Z"),
  closeAt: new Date("2026-07-15T20:00:00.000Z"),
};
const earlyClose: TradingDayLike = {
  day: "2026-11-27",
  status: "open",
  openAt: "2026-11-27T14:30:00.000Z",
  closeAt: "2026-11-27T18:00:00.000Z",
};
const thanksgiving: TradingDayLike = { day: "2026-11-26", status: "closed" };
const late: TradingDayLike = { ...winterDay, openAt: "2026-02-04T15:00:00.000Z" };

describe("isEntryAllowed (09:35 to 15:30 New York)", () => {
  it.each([
    {
      note: "the journal's manual entry at 09:42 ET",
      day: winterDay,
      now: "2026-02-04T14:42:00Z",
      reason: null,
    },
    { note: "exactly 09:35 ET in winter", day: winterDay, now: "2026-02-04T14:35:00Z", reason: null },
    { note: "09:34 ET", day: winterDay, now: "2026-02-04T14:34:00Z", reason: "before-entry-time" },
    { note: "before the open", day: winterDay, now: "2026-02-04T13:00:00Z", reason: "before-open" },
    { note: "15:29 ET", day: winterDay, now: "2026-02-04T20:29:00Z", reason: null },
    { note: "15:30 ET", day: winterDay, now: "2026-02-04T20:30:00Z", reason: "after-window-end" },
    { note: "after the close", day: winterDay, now: "2026-02-04T21:30:00Z", reason: "after-window-end" },
    { note: "09:35 ET in summer", day: summerDay, now: "2026-07-15T13:35:00Z", reason: null },
    { note: "09:35 UTC-5 is 10:35 in summer", day: summerDay, now: "2026-07-15T14:35:00Z", reason: null },
    { note: "15:30 ET in summer", day: summerDay, now: "2026-07-15T19:30:00Z", reason: "after-window-end" },
    { note: "holiday", day: thanksgiving, now: "2026-11-26T15:00:00Z", reason: "closed" },
    { note: "early close, before 13:00", day: earlyClose, now: "2026-11-27T17:59:00Z", reason: null },
    { note: "early close, after 13:00", day: earlyClose, now: "2026-11-27T18:00:00Z", reason: "after-close" },
    { note: "no calendar entry", day: undefined, now: "2026-02-04T14:42:00Z", reason: "no-calendar" },
    { note: "yesterday's entry", day: winterDay, now: "2026-02-05T14:42:00Z", reason: "wrong-day" },
    { note: "late open: before it", day: late, now: "2026-02-04T14:50:00Z", reason: "before-open" },
  ])("$note -> $reason", ({ day, now, reason }) => {
    const check = isEntryAllowed(day, new Date(now));
    if (reason === null) expect(check.allowed).toBe(true);
    else expect(check).toMatchObject({ allowed: false, reason });
  });

  it("gives the window that applies", () => {
    expect(isEntryAllowed(earlyClose, "2026-11-27T15:00:00Z")).toEqual({
      allowed: true,
      windowStart: "2026-11-27T14:35:00.000Z",
      windowEnd: "2026-11-27T18:00:00.000Z",
    });
    expect(isEntryAllowed(late, "2026-02-04T15:10:00Z")).toEqual({
      allowed: true,
      windowStart: "2026-02-04T15:00:00.000Z",
      windowEnd: "2026-02-04T20:30:00.000Z",
    });
  });

  it("says what to expect when blocked", () => {
    expect(isEntryAllowed(earlyClose, "2026-11-27T18:30:00Z")).toEqual({
      allowed: false,
      reason: "after-close",
      detail: "The market closed early, at 2026-11-27T18:00:00.000Z.",
    });
  });

  it("takes other times and zones", () => {
    const check = isEntryAllowed(winterDay, "2026-02-04T15:05:00Z", "10:00", "10:30", "US/Eastern");
    expect(check).toMatchObject({ allowed: true, windowStart: "2026-02-04T15:00:00.000Z" });
    expect(() => isEntryAllowed(winterDay, "2026-02-04T15:05:00Z", "9:35")).toThrow("HH:MM");
  });
});
