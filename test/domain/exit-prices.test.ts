import { describe, expect, it } from "vitest";
import { ExitPriceError, exitPrices } from "../../src/trading/domain/exit-prices.js";

describe("exitPrices", () => {
  it.each([
    // The journal's positions: 625P, 629P, 632P (expiring 2026-04-30) and the 624P traded that day.
    { credit: 6.08, tp: 2.43, sl: 18.24, note: "625P; 6.08 * 0.4 is 2.432 in floating point" },
    { credit: 6.15, tp: 2.46, sl: 18.45, note: "629P" },
    { credit: 5.94, tp: 2.38, sl: 17.82, note: "632P: the journal's 2.38 / 17.82 imply a 5.94 credit" },
    { credit: 5.95, tp: 2.38, sl: 17.85, note: "a 5.95 credit gives 17.85, not the journal's 17.82" },
    { credit: 6.16, tp: 2.46, sl: 18.48, note: "624P filled on 2026-02-04" },
    { credit: 6.05, tp: 2.42, sl: 18.15, note: "exact products stay exact" },
    { credit: 0.1, tp: 0.04, sl: 0.3, note: "small credit" },
  ])("$credit -> TP $tp / SL $sl ($note)", ({ credit, tp, sl }) => {
    expect(exitPrices(credit, 40, 300)).toEqual({ tp, sl });
  });

  it.each([
    { credit: 6.05, tpPct: 30, slPct: 250, tp: 1.82, sl: 15.13, note: "halves (181.5c, 1512.5c) round up" },
    { credit: 6.07, tpPct: 50, slPct: 200, tp: 3.04, sl: 12.14, note: "303.5c rounds up" },
    { credit: 6.0825, tpPct: 40, slPct: 300, tp: 2.43, sl: 18.25, note: "sub-cent average fill" },
  ])("rounds to the nearest cent: $note", ({ credit, tpPct, slPct, tp, sl }) => {
    expect(exitPrices(credit, tpPct, slPct)).toEqual({ tp, sl });
  });

  it.each([
    { credit: 0, tpPct: 40, slPct: 300, problem: "invalid-credit", says: "positive" },
    { credit: -6.08, tpPct: 40, slPct: 300, problem: "invalid-credit", says: "-6.08" },
    { credit: Number.NaN, tpPct: 40, slPct: 300, problem: "invalid-credit", says: "NaN" },
    { credit: 6.08, tpPct: 0, slPct: 300, problem: "invalid-tp-pct", says: "below 100" },
    { credit: 6.08, tpPct: 100, slPct: 300, problem: "invalid-tp-pct", says: "got 100" },
    { credit: 6.08, tpPct: 40, slPct: 100, problem: "invalid-sl-pct", says: "above 100" },
    { credit: 6.08, tpPct: 40, slPct: 50, problem: "invalid-sl-pct", says: "got 50" },
    { credit: 0.01, tpPct: 40, slPct: 300, problem: "tp-below-tick", says: "0.00" },
  ])(
    "rejects credit $credit, TP $tpPct %, SL $slPct % ($problem)",
    ({ credit, tpPct, slPct, problem, says }) => {
      let caught: unknown;
      try {
        exitPrices(credit, tpPct, slPct);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ExitPriceError);
      expect((caught as ExitPriceError).problem).toBe(problem);
      expect((caught as ExitPriceError).message).toContain(says);
    },
  );
});
