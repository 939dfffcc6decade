import { describe, expect, it } from "vitest";
import { addDays, dayNumber, toIsoDay, weekdayOf } from "../../src/trading/domain/calendar-days.js";

describe("calendar days", () => {
  it.each([
    { day: "1970-01-01", n: 0 },
    { day: "19700102", n: 1 },
    { day: "2026-02-29", n: undefined },
    { day: "2028-02-29", n: 21_243 },
    { day: "2026-13-01", n: undefined },
    { day: "2026-2-4", n: undefined },
  ])("dayNumber($day) = $n", ({ day, n }) => {
    expect(dayNumber(day)).toBe(n);
  });

  it.each([
    { day: "2026-02-04", weekday: 3 },
    { day: "2026-03-08", weekday: 0 },
    { day: "2026-11-28", weekday: 6 },
    { day: "1969-12-31", weekday: 3 },
  ])("weekdayOf($day) = $weekday", ({ day, weekday }) => {
    expect(weekdayOf(day)).toBe(weekday);
  });

  it.each([
    { day: "2026-02-04", days: 85, result: "2026-04-30" },
    { day: "2026-12-31", days: 1, result: "2027-01-01" },
    { day: "2026-03-01", days: -1, result: "2026-02-28" },
  ])("addDays($day, $days) = $result", ({ day, days, result }) => {
    expect(addDays(day, days)).toBe(result);
  });

  it("converts IB days", () => {
    expect(toIsoDay("20260430")).toBe("2026-04-30");
    expect(toIsoDay("2026-04-30")).toBe("2026-04-30");
  });
});
