import { describe, expect, it } from "vitest";
import { parseTradingHours } from "../../src/trading/domain/trading-calendar.js";

const open = (day: string, openAt: string, closeAt: string) => ({ day, status: "open", openAt, closeAt });
const closed = (day: string) => ({ day, status: "closed" });

describe("parseTradingHours", () => {
  it("reads Thanksgiving week: a holiday and an early close (winter, UTC-5)", () => {
    const hours =
      "20261124:0930-20261124:1600;20261125:0930-20261125:1600;20261126:CLOSED;20261127:0930-20261127:1300";
    expect(parseTradingHours(hours, "US/Eastern")).toEqual({
      ok: true,
      timeZone: "America/New_York",
      days: [
        open("2026-11-24", "2026-11-24T14:30:00.000Z", "2026-11-24T21:00:00.000Z"),
        open("2026-11-25", "2026-11-25T14:30:00.000Z", "2026-11-25T21:00:00.000Z"),
        closed("2026-11-26"),
        open("2026-11-27", "2026-11-27T14:30:00.000Z", "2026-11-27T18:00:00.000Z"),
      ],
    });
  });

  it.each([
    {
      note: "summer (UTC-4)",
      hours: "20260715:0930-20260715:1600",
      days: [open("2026-07-15", "2026-07-15T13:30:00.000Z", "2026-07-15T20:00:00.000Z")],
    },
    {
      note: "the spring-forward weekend 2026-03-08",
      hours: "20260306:0930-20260306:1600;20260307:CLOSED;20260308:CLOSED;20260309:0930-20260309:1600",
      days: [
        open("2026-03-06", "2026-03-06T14:30:00.000Z", "2026-03-06T21:00:00.000Z"),
        closed("2026-03-07"),
        closed("2026-03-08"),
        open("2026-03-09", "2026-03-09T13:30:00.000Z", "2026-03-09T20:00:00.000Z"),
      ],
    },
    {
      note: "the fall-back weekend 2026-11-01",
      hours: "20261030:0930-20261030:1600;20261031:CLOSED;20261101:CLOSED;20261102:0930-20261102:1600",
      days: [
        open("2026-10-30", "2026-10-30T13:30:00.000Z", "2026-10-30T20:00:00.000Z"),
        closed("2026-10-31"),
        closed("2026-11-01"),
        open("2026-11-02", "2026-11-02T14:30:00.000Z", "2026-11-02T21:00:00.000Z"),
      ],
    },
    {
      note: "the older form with several sessions a day",
      hours: "20090507:0700-1830,1830-2330;20090508:CLOSED",
      days: [
        open("2009-05-07", "2009-05-07T11:00:00.000Z", "2009-05-08T03:30:00.000Z"),
        closed("2009-05-08"),
      ],
    },
    {
      note: "an older-form session past midnight ends the next day",
      hours: "20260204:1700-0400",
      days: [open("2026-02-04", "2026-02-04T22:00:00.000Z", "2026-02-05T09:00:00.000Z")],
    },
    {
      note: "two sessions of one day in the new form merge; stray separators are ignored",
      hours: "20260204:0400-20260204:0930;;20260204:0930-20260204:2000; ",
      days: [open("2026-02-04", "2026-02-04T09:00:00.000Z", "2026-02-05T01:00:00.000Z")],
    },
    {
      note: "a session spanning midnight belongs to the day it starts",
      hours: "20260204:1700-20260205:1600",
      days: [open("2026-02-04", "2026-02-04T22:00:00.000Z", "2026-02-05T21:00:00.000Z")],
    },
    { note: "empty", hours: "", days: [] },
    {
      note: "days come out sorted",
      hours: "20260206:CLOSED;20260205:closed",
      days: [closed("2026-02-05"), closed("2026-02-06")],
    },
  ])("$note", ({ hours, days }) => {
    expect(parseTradingHours(hours, "America/New_York")).toEqual({
      ok: true,
      timeZone: "America/New_York",
      days,
    });
  });

  it.each(["EST5EDT", "US/Eastern", "America/New_York"])("accepts %s", (tz) => {
    const result = parseTradingHours("20260204:0930-20260204:1600", tz);
    expect(result).toMatchObject({ ok: true, days: [{ openAt: "2026-02-04T14:30:00.000Z" }] });
  });

  it.each([
    {
      hours: "20260204:0930-20260204:1600",
      tz: "Nowhere/Town",
      reason: "unknown-time-zone",
      says: "Nowhere/Town",
    },
    { hours: "20260204:OPEN", tz: "US/Eastern", reason: "malformed", says: "20260204:OPEN" },
    { hours: "20260204:0930-20260204:2561", tz: "US/Eastern", reason: "malformed", says: "2561" },
    { hours: "20260204:1600-20260204:0930", tz: "US/Eastern", reason: "malformed", says: "1600" },
    { hours: "20260230:0930-20260230:1600", tz: "US/Eastern", reason: "malformed", says: "20260230" },
  ])("rejects $hours in $tz", ({ hours, tz, reason, says }) => {
    const result = parseTradingHours(hours, tz);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.detail).toContain(says);
  });
});
