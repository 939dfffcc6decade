import { describe, expect, it } from "vitest";
import { parseEntryCron } from "../../src/trading/domain/entry-cron.js";

describe("parseEntryCron", () => {
  it.each([
    { spec: "35 9 * * 1-5", schedule: { minute: 35, hour: 9, daysOfWeek: [1, 2, 3, 4, 5] } },
    { spec: "  0 10 * *   *  ", schedule: { minute: 0, hour: 10, daysOfWeek: [0, 1, 2, 3, 4, 5, 6] } },
    { spec: "35 9 * * 1,3,5", schedule: { minute: 35, hour: 9, daysOfWeek: [1, 3, 5] } },
    { spec: "35 9 * * 1-2,4-5", schedule: { minute: 35, hour: 9, daysOfWeek: [1, 2, 4, 5] } },
    { spec: "35 9 * * MON-FRI", schedule: { minute: 35, hour: 9, daysOfWeek: [1, 2, 3, 4, 5] } },
    { spec: "35 9 * * 5-7", schedule: { minute: 35, hour: 9, daysOfWeek: [0, 5, 6] } },
    { spec: "35 9 * * 7", schedule: { minute: 35, hour: 9, daysOfWeek: [0] } },
    { spec: "5 09 * * 2", schedule: { minute: 5, hour: 9, daysOfWeek: [2] } },
  ])("$spec", ({ spec, schedule }) => {
    expect(parseEntryCron(spec)).toEqual({ ok: true, schedule });
  });

  it.each([
    { spec: "35 9 * *", says: "expected 5 fields" },
    { spec: "0 35 9 * * 1-5", says: "got 6" },
    { spec: "*/5 9 * * 1-5", says: "minute" },
    { spec: "60 9 * * 1-5", says: "minute" },
    { spec: "35 9,15 * * 1-5", says: "hour" },
    { spec: "35 24 * * 1-5", says: "hour" },
    { spec: "35 9 1 * 1-5", says: "day-of-month" },
    { spec: "35 9 * 1-6 1-5", says: "month" },
    { spec: "35 9 * * 5-1", says: "day-of-week" },
    { spec: "35 9 * * 8", says: "day-of-week" },
    { spec: "35 9 * * 1-5/2", says: "day-of-week" },
    { spec: "35 9 * * 1-2-3", says: "day-of-week" },
  ])("rejects $spec", ({ spec, says }) => {
    const result = parseEntryCron(spec);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(says);
    expect(!result.ok && result.error).toContain(spec.trim());
  });
});
