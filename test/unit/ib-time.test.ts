import { expect, it } from "vitest";
import { parseIbTime } from "../../src/trading/lifecycle/fills.js";

it("reads IB execution times in their zone, across DST, and plain UTC", () => {
  expect(parseIbTime("20260204 09:42:00 US/Eastern")?.toISOString()).toBe("2026-02-04T14:42:00.000Z");
  expect(parseIbTime("20260701 09:42:30 US/Eastern")?.toISOString()).toBe("2026-07-01T13:42:30.000Z");
  expect(parseIbTime("20260204-14:42:00")?.toISOString()).toBe("2026-02-04T14:42:00.000Z");
});

it("reads the legacy shape (two spaces, no zone) and a zoneless time as the gateway's New York time", () => {
  expect(parseIbTime("20260204  09:42:00")?.toISOString()).toBe("2026-02-04T14:42:00.000Z");
  expect(parseIbTime("20260701  09:42:00")?.toISOString()).toBe("2026-07-01T13:42:00.000Z");
  expect(parseIbTime("20260204 09:42:00")?.toISOString()).toBe("2026-02-04T14:42:00.000Z");
  expect(parseIbTime("20260204 09:42:00 UTC")?.toISOString()).toBe("2026-02-04T09:42:00.000Z");
  expect(parseIbTime("2026-02-04 09:42")).toBeUndefined();
});
