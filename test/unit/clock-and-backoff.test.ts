import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { backoffDelay } from "../../src/trading/ib/backoff.js";

describe("backoffDelay", () => {
  it("doubles per attempt, stays within [ceiling/2, ceiling] and is capped", () => {
    expect(backoffDelay(0, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(4000);
    expect(backoffDelay(50, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelay(50, 1000, 60_000, () => 0.5)).toBe(45_000);
  });
});

describe("ManualClock", () => {
  it("fires due timers in time order, including timers set by timers", () => {
    const clock = new ManualClock("2026-02-04T14:30:00Z");
    const fired: string[] = [];
    clock.setTimeout(() => fired.push("b@200"), 200);
    clock.setTimeout(() => {
      fired.push("a@100");
      clock.setTimeout(() => fired.push("c@150"), 50);
    }, 100);
    const cancelled = clock.setTimeout(() => fired.push("never"), 150);
    clock.clearTimeout(cancelled);
    clock.advance(199);
    expect(fired).toEqual(["a@100", "c@150"]);
    clock.advance(1);
    expect(fired).toEqual(["a@100", "c@150", "b@200"]);
    expect(clock.now().toISOString()).toBe("2026-02-04T14:30:00.200Z");
  });
});
