import { describe, expect, it } from "vitest";
import { bsPrice, modelDelta } from "../../src/trading/domain/option-model.js";

describe("the delta implied by an option's mid (no greeks from IB)", () => {
  it.each([
    // spot, strike, days, vol, right
    [680, 615, 85, 0.2, "P"],
    [680, 650, 85, 0.2, "P"],
    [680, 680, 30, 0.15, "P"],
    [680, 560, 85, 0.35, "P"],
    [680, 720, 85, 0.2, "C"],
  ] as const)(
    "spot %d strike %d, %d days, vol %d %s: recovers the vol and the delta",
    (spot, strike, days, vol, right) => {
      const truth = bsPrice(spot, strike, days / 365, vol, 0.04, right);
      const model = modelDelta({ price: truth.price, spot, strike, days, right });
      expect(model.ok).toBe(true);
      if (!model.ok) return;
      expect(model.iv).toBeCloseTo(vol, 3);
      expect(model.delta).toBeCloseTo(truth.delta, 3);
    },
  );

  it.each([
    [{ price: 0, spot: 680, strike: 615, days: 85 }, "bad-input"],
    [{ price: 5, spot: 680, strike: 615, days: 0 }, "bad-input"],
    [{ price: 5, spot: Number.NaN, strike: 615, days: 85 }, "bad-input"],
    [{ price: 10, spot: 680, strike: 700, days: 85 }, "below-intrinsic"],
    [{ price: 650, spot: 680, strike: 700, days: 85 }, "no-volatility-fits"],
  ] as const)("%o: %s", (input, reason) => {
    expect(modelDelta({ ...input, right: "P" })).toEqual({ ok: false, reason });
  });

  it("a put's model delta is negative and grows in size toward the money", () => {
    const deltas = [600, 620, 640, 660].map((strike) => {
      const { price } = bsPrice(680, strike, 85 / 365, 0.2, 0.04, "P");
      const m = modelDelta({ price, spot: 680, strike, days: 85, right: "P" });
      return m.ok ? m.delta : 0;
    });
    expect(deltas.every((d) => d < 0)).toBe(true);
    expect([...deltas].sort((a, b) => b - a)).toEqual(deltas);
  });
});
