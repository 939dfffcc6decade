/**
 * Black–Scholes (no dividends) for the one thing the bot needs when IB sends no greeks: the delta
 * implied by an option's own price. Implied volatility is found by bisection on the price, which
 * rises monotonically with volatility.
 */
import type { OptionRight } from "./order-refs.js";

export interface ModelInputs {
  /** The option's price to explain, e.g. its bid/ask mid. */
  price: number;
  /** The underlying's price. */
  spot: number;
  strike: number;
  /** Calendar days to expiry (at the close). */
  days: number;
  right: OptionRight;
  /** Annual risk-free rate, continuously compounded. */
  rate?: number;
}

export type ModelDelta =
  | { ok: true; delta: number; iv: number }
  | { ok: false; reason: "bad-input" | "below-intrinsic" | "no-volatility-fits" };

const MIN_VOL = 0.005;
const MAX_VOL = 5;

export function bsPrice(
  spot: number,
  strike: number,
  years: number,
  vol: number,
  rate: number,
  right: OptionRight,
) {
  const sqrtT = Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (rate + (vol * vol) / 2) * years) / (vol * sqrtT);
  const d2 = d1 - vol * sqrtT;
  const discount = Math.exp(-rate * years);
  const price =
    right === "P"
      ? strike * discount * normCdf(-d2) - spot * normCdf(-d1)
      : spot * normCdf(d1) - strike * discount * normCdf(d2);
  return { price, delta: right === "P" ? normCdf(d1) - 1 : normCdf(d1) };
}

/** The delta (signed, as IB sends it) whose Black–Scholes price matches `price`. */
export function modelDelta(input: ModelInputs): ModelDelta {
  const { price, spot, strike, days, right } = input;
  const rate = input.rate ?? 0.04;
  if (
    ![price, spot, strike, days].every(Number.isFinite) ||
    price <= 0 ||
    spot <= 0 ||
    strike <= 0 ||
    days <= 0
  )
    return { ok: false, reason: "bad-input" };
  const years = days / 365;
  const at = (vol: number) => bsPrice(spot, strike, years, vol, rate, right).price;
  if (price < at(MIN_VOL) - 0.005) return { ok: false, reason: "below-intrinsic" };
  if (price > at(MAX_VOL)) return { ok: false, reason: "no-volatility-fits" };
  let low = MIN_VOL;
  let high = MAX_VOL;
  for (let i = 0; i < 100 && high - low > 1e-7; i++) {
    const mid = (low + high) / 2;
    if (at(mid) < price) low = mid;
    else high = mid;
  }
  const iv = (low + high) / 2;
  return { ok: true, iv, delta: bsPrice(spot, strike, years, iv, rate, right).delta };
}

export function normCdf(x: number): number {
  // Abramowitz & Stegun 7.1.26 via erf; accurate to ~1e-7.
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
