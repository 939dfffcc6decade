import { describe, expect, it } from "vitest";
import type { TradingDayLike } from "../../src/trading/domain/entry-window.js";
import { nextEntry } from "../../src/trading/domain/next-entry.js";

const closed = (day: string): TradingDayLike => ({ day, status: "closed" });
const open = (day: string, closeAt?: string): TradingDayLike => ({ day, status: "open", closeAt });
const NY = "America/New_York";

describe("nextEntry for 35 9 * * 1-5 in New York", () => {
  it.each([
    {
      note: "Wednesday before 09:35 (winter)",
      now: "2026-02-04T14:00:00Z",
      at: "2026-02-04T14:35:00.000Z",
      days: [],
    },
    { note: "Wednesday after 09:35", now: "2026-02-04T14:42:00Z", at: "2026-02-05T14:35:00.000Z", days: [] },
    {
      note: "exactly at 09:35 it is the next day",
      now: "2026-02-04T14:35:00Z",
      at: "2026-02-05T14:35:00.000Z",
      days: [],
    },
    {
      note: "Friday after 09:35 skips the weekend",
      now: "2026-02-06T15:00:00Z",
      at: "2026-02-09T14:35:00.000Z",
      days: [],
    },
    { note: "summer", now: "2026-07-14T18:00:00Z", at: "2026-07-15T13:35:00.000Z", days: [] },
    {
      note: "across spring-forward (2026-03-08)",
      now: "2026-03-06T15:00:00Z",
      at: "2026-03-09T13:35:00.000Z",
      days: [],
    },
    {
      note: "across fall-back (2026-11-01)",
      now: "2026-10-30T15:00:00Z",
      at: "2026-11-02T14:35:00.000Z",
      days: [],
    },
    {
      note: "skips Thanksgiving",
      now: "2026-11-25T15:00:00Z",
      at: "2026-11-27T14:35:00.000Z",
      days: [closed("2026-11-26"), open("2026-11-27", "2026-11-27T18:00:00.000Z")],
    },
    {
      note: "skips Presidents' Day and says the calendar knows it",
      now: "2026-02-13T15:00:00Z",
      at: "2026-02-17T14:35:00.000Z",
      days: [closed("2026-02-16"), open("2026-02-17")],
    },
    {
      note: "skips a day that closes before the entry time",
      now: "2026-02-04T15:00:00Z",
      at: "2026-02-06T14:35:00.000Z",
      days: [open("2026-02-05", "2026-02-05T14:00:00.000Z")],
    },
    {
      note: "just before midnight New York time is still the same day there",
      now: "2026-02-05T04:59:00Z",
      at: "2026-02-05T14:35:00.000Z",
      days: [],
    },
  ])("$note", ({ now, at, days }) => {
    expect(nextEntry({ schedule: "35 9 * * 1-5", tradingDays: days, timeZone: NY, now })).toMatchObject({
      ok: true,
      at,
    });
  });

  it("says whether the calendar knew the day", () => {
    const days = [closed("2026-02-16"), open("2026-02-17")];
    expect(
      nextEntry({ schedule: "35 9 * * 1-5", tradingDays: days, timeZone: NY, now: "2026-02-13T15:00:00Z" }),
    ).toEqual({
      ok: true,
      at: "2026-02-17T14:35:00.000Z",
      day: "2026-02-17",
      calendarKnown: true,
    });
    expect(
      nextEntry({
        schedule: "35 9 * * 1-5",
        tradingDays: [],
        timeZone: NY,
        now: new Date("2026-02-13T15:00:00Z"),
      }),
    ).toMatchObject({
      day: "2026-02-16",
      calendarKnown: false,
    });
  });

  it("honours the days of the week and a parsed schedule", () => {
    const schedule = { minute: 0, hour: 10, daysOfWeek: [1, 3] };
    expect(
      nextEntry({ schedule, tradingDays: [], timeZone: "US/Eastern", now: "2026-02-04T16:00:00Z" }),
    ).toMatchObject({
      at: "2026-02-09T15:00:00.000Z",
    });
    expect(
      nextEntry({ schedule: "35 9 * * 0,6", tradingDays: [], timeZone: NY, now: "2026-02-04T16:00:00Z" }),
    ).toMatchObject({
      ok: false,
      reason: "none-within-horizon",
    });
  });

  it("explains a schedule it cannot read", () => {
    expect(
      nextEntry({ schedule: "*/5 9 * * 1-5", tradingDays: [], timeZone: NY, now: "2026-02-04T16:00:00Z" }),
    ).toMatchObject({
      ok: false,
      reason: "invalid-schedule",
      detail: expect.stringContaining("minute"),
    });
  });

  it("gives up after the horizon", () => {
    const days = ["2026-02-05", "2026-02-06", "2026-02-09"].map(closed);
    expect(
      nextEntry({
        schedule: "35 9 * * 1-5",
        tradingDays: days,
        timeZone: NY,
        now: "2026-02-04T16:00:00Z",
        horizonDays: 5,
      }),
    ).toMatchObject({ ok: false, reason: "none-within-horizon" });
  });
});
