import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  LadderError,
  ladder,
  ladderBounds,
  limitAt,
  nextLimitBelow,
  stepIndexAt,
} from "../../src/trading/domain/limit-ladder.js";

describe("ladderBounds", () => {
  it.each([
    {
      bid: 6.1,
      ask: 6.2,
      floorPct: 90,
      start: 6.15,
      floor: 6.1,
      note: "mid on a tick; bid above 90 % of mid",
    },
    { bid: 6.1, ask: 6.21, floorPct: 90, start: 6.16, floor: 6.1, note: "mid 6.155 rounds up" },
    { bid: 4, ask: 6, floorPct: 90, start: 5, floor: 4.5, note: "wide market: 90 % of mid is above the bid" },
    { bid: 4, ask: 6.01, floorPct: 90, start: 5.01, floor: 4.51, note: "floor 4.5045 rounds up" },
    { bid: 6.1, ask: 6.2, floorPct: 100, start: 6.15, floor: 6.15, note: "floor at 100 % never moves" },
    { bid: 0.05, ask: 0.06, floorPct: 50, start: 0.06, floor: 0.05, note: "penny options" },
  ])("$note", ({ bid, ask, floorPct, start, floor }) => {
    expect(ladderBounds({ bid, ask, step: 0.01, floorPct })).toMatchObject({ start, floor });
  });
});

describe("limitAt and ladder", () => {
  const quote = { bid: 5.8, ask: 6.4, step: 0.05, floorPct: 97 };

  it.each([
    { index: 0, price: 6.1 },
    { index: 1, price: 6.05 },
    { index: 2, price: 6 },
    { index: 3, price: 5.95 },
    { index: 4, price: 5.92 },
    { index: 100, price: 5.92 },
  ])("step $index -> $price (floor 97 % of 6.10 = 5.917 -> 5.92)", ({ index, price }) => {
    expect(limitAt(index, quote)).toBe(price);
  });

  it("lists every price down to the floor", () => {
    expect(ladder(quote)).toEqual([6.1, 6.05, 6, 5.95, 5.92]);
    expect(ladder({ bid: 6.1, ask: 6.2, step: 0.01, floorPct: 90 })).toEqual([
      6.15, 6.14, 6.13, 6.12, 6.11, 6.1,
    ]);
    expect(ladder({ bid: 6.1, ask: 6.2, step: 0.01, floorPct: 100 })).toEqual([6.15]);
  });

  const quotes = fc
    .record({
      bidCents: fc.integer({ min: 1, max: 5_000 }),
      spreadCents: fc.integer({ min: 1, max: 500 }),
      stepCents: fc.integer({ min: 1, max: 25 }),
      floorPct: fc.integer({ min: 1, max: 100 }),
    })
    .map(({ bidCents, spreadCents, stepCents, floorPct }) => ({
      bid: bidCents / 100,
      ask: (bidCents + spreadCents) / 100,
      step: stepCents / 100,
      floorPct,
    }));

  it("starts at the mid rounded up, never goes below the floor or the bid, and never rises", () => {
    fc.assert(
      fc.property(quotes, (q) => {
        const prices = ladder(q);
        const { mid, floor } = ladderBounds(q);
        expect(prices[0]).toBe(Math.ceil(Math.round(mid * 100 * 1e6) / 1e6) / 100);
        expect(prices.at(-1)).toBe(floor);
        for (let i = 0; i < prices.length; i++) {
          const price = prices[i] ?? Number.NaN;
          expect(price).toBeGreaterThanOrEqual(floor);
          expect(price).toBeGreaterThanOrEqual(q.bid);
          expect(price).toBeGreaterThanOrEqual((mid * q.floorPct) / 100 - 1e-9);
          expect(Math.abs(price * 100 - Math.round(price * 100))).toBeLessThan(1e-9);
          expect(limitAt(i, q)).toBe(price);
          if (i > 0) expect(price).toBeLessThan(prices[i - 1] ?? Number.NaN);
        }
        expect(limitAt(prices.length + 5, q)).toBe(floor);
      }),
    );
  });

  it.each([
    { input: { bid: 0, ask: 1, step: 0.01, floorPct: 90 }, says: "Bid" },
    { input: { bid: 1, ask: 1, step: 0.01, floorPct: 90 }, says: "Ask" },
    { input: { bid: 1, ask: 1.1, step: 0.005, floorPct: 90 }, says: "Step" },
    { input: { bid: 1, ask: 1.1, step: 0, floorPct: 90 }, says: "Step" },
    { input: { bid: 1, ask: 1.1, step: 0.01, floorPct: 0 }, says: "Floor" },
    { input: { bid: 1, ask: 1.1, step: 0.01, floorPct: 101 }, says: "Floor" },
  ])("rejects $input", ({ input, says }) => {
    expect(() => ladder(input)).toThrow(LadderError);
    expect(() => ladder(input)).toThrow(says);
  });

  it("rejects a negative or fractional step index", () => {
    expect(() => limitAt(-1, quote)).toThrow("Step index");
    expect(() => limitAt(1.5, quote)).toThrow("Step index");
  });
});

describe("stepIndexAt", () => {
  it.each([
    { now: "2026-02-04T14:35:00Z", index: 0 },
    { now: "2026-02-04T14:35:29.999Z", index: 0 },
    { now: "2026-02-04T14:35:30Z", index: 1 },
    { now: "2026-02-04T14:37:05Z", index: 4 },
    { now: "2026-02-04T14:34:00Z", index: 0 },
  ])("$now -> step $index", ({ now, index }) => {
    expect(stepIndexAt("2026-02-04T14:35:00Z", new Date(now), 30)).toBe(index);
  });
});

describe("nextLimitBelow", () => {
  const input = { bid: 5.9, ask: 6.3, step: 0.05, floorPct: 97 };
  it.each([
    { current: 6.1, next: 6.05 },
    { current: 6.07, next: 6.05 },
    { current: 9, next: 6.1 },
    { current: 5.92, next: null },
    { current: 5.5, next: null },
  ])("below $current: $next", ({ current, next }) => {
    expect(nextLimitBelow(current, input)).toBe(next);
  });
});
