import { describe, expect, it } from "vitest";
import { parseClockTime, resolveTimeZone, zone } from "../../src/trading/domain/zoned-time.js";

describe("resolveTimeZone", () => {
  it.each([
    { id: "US/Eastern", zone: "America/New_York" },
    { id: "EST5EDT", zone: "America/New_York" },
    { id: "America/New_York", zone: "America/New_York" },
    { id: " US/Central ", zone: "America/Chicago" },
    { id: "Europe/London", zone: "Europe/London" },
    { id: "Mars/Olympus", zone: undefined },
  ])("$id -> $zone", ({ id, zone }) => {
    expect(resolveTimeZone(id)).toBe(zone);
  });
});

describe("zone(America/New_York)", () => {
  const ny = zone("US/Eastern");

  it.each([
    { day: "2026-02-04", hour: 9, minute: 35, utc: "2026-02-04T14:35:00.000Z", note: "winter (EST, UTC-5)" },
    { day: "2026-07-15", hour: 9, minute: 35, utc: "2026-07-15T13:35:00.000Z", note: "summer (EDT, UTC-4)" },
    {
      day: "2026-03-06",
      hour: 16,
      minute: 0,
      utc: "2026-03-06T21:00:00.000Z",
      note: "Friday before spring-forward",
    },
    {
      day: "2026-03-09",
      hour: 9,
      minute: 30,
      utc: "2026-03-09T13:30:00.000Z",
      note: "Monday after spring-forward",
    },
    { day: "2026-03-08", hour: 1, minute: 59, utc: "2026-03-08T06:59:00.000Z", note: "just before the jump" },
    {
      day: "2026-03-08",
      hour: 2,
      minute: 30,
      utc: "2026-03-08T07:30:00.000Z",
      note: "skipped hour moves forward",
    },
    { day: "2026-03-08", hour: 3, minute: 0, utc: "2026-03-08T07:00:00.000Z", note: "just after the jump" },
    {
      day: "2026-10-30",
      hour: 16,
      minute: 0,
      utc: "2026-10-30T20:00:00.000Z",
      note: "Friday before fall-back",
    },
    {
      day: "2026-11-01",
      hour: 1,
      minute: 30,
      utc: "2026-11-01T05:30:00.000Z",
      note: "repeated hour takes the first",
    },
    {
      day: "2026-11-02",
      hour: 9,
      minute: 30,
      utc: "2026-11-02T14:30:00.000Z",
      note: "Monday after fall-back",
    },
    {
      day: "2026-12-31",
      hour: 24,
      minute: 0,
      utc: "2027-01-01T05:00:00.000Z",
      note: "24:00 is next midnight",
    },
  ])("$day $hour:$minute -> $utc ($note)", ({ day, hour, minute, utc }) => {
    expect(ny.instantOf(day, hour, minute).toISOString()).toBe(utc);
  });

  it.each([
    { utc: "2026-02-04T14:42:00Z", wall: { day: "2026-02-04", hour: 9, minute: 42, second: 0, weekday: 3 } },
    {
      utc: "2026-07-15T03:59:59Z",
      wall: { day: "2026-07-14", hour: 23, minute: 59, second: 59, weekday: 2 },
    },
    { utc: "2026-11-01T05:30:00Z", wall: { day: "2026-11-01", hour: 1, minute: 30, second: 0, weekday: 0 } },
    { utc: "2026-11-01T06:30:00Z", wall: { day: "2026-11-01", hour: 1, minute: 30, second: 0, weekday: 0 } },
    { utc: "2026-03-08T05:00:00Z", wall: { day: "2026-03-08", hour: 0, minute: 0, second: 0, weekday: 0 } },
  ])("wall time at $utc", ({ utc, wall }) => {
    expect(ny.wallTime(new Date(utc))).toEqual(wall);
  });

  it("throws for an unknown zone", () => {
    expect(() => zone("Mars/Olympus")).toThrow('Unknown time zone "Mars/Olympus"');
  });
});

it.each([
  { text: "09:35", parsed: { hour: 9, minute: 35 } },
  { text: "15:30", parsed: { hour: 15, minute: 30 } },
  { text: "23:59", parsed: { hour: 23, minute: 59 } },
  { text: "9:35", parsed: undefined },
  { text: "24:00", parsed: undefined },
  { text: "12:60", parsed: undefined },
])("parseClockTime($text)", ({ text, parsed }) => {
  expect(parseClockTime(text)).toEqual(parsed);
});
