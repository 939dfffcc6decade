import { fromCents, toCents } from "./price-ticks.js";

export interface ExitPrices {
  /** Take-profit: BUY LMT price. */
  tp: number;
  /** Stop-loss: BUY STP trigger price. */
  sl: number;
}

export type ExitPriceProblem = "invalid-credit" | "invalid-tp-pct" | "invalid-sl-pct" | "tp-below-tick";

export class ExitPriceError extends Error {
  constructor(
    readonly problem: ExitPriceProblem,
    message: string,
  ) {
    super(message);
    this.name = "ExitPriceError";
  }
}

/**
 * TP and SL for a short option sold at `entryCredit` (per share): TP buys back at `tpPct` % of the
 * credit, SL stops out at `slPct` %. Both are rounded to the nearest cent, halves up, after removing
 * float noise: 6.08 -> 2.43 / 18.24 (6.08 * 0.4 is 2.432 in floating point).
 * Throws ExitPriceError when an input cannot give sensible exits.
 */
export function exitPrices(entryCredit: number, tpPct: number, slPct: number): ExitPrices {
  if (!Number.isFinite(entryCredit) || entryCredit <= 0) {
    throw new ExitPriceError("invalid-credit", `Entry credit must be a positive price, got ${entryCredit}.`);
  }
  if (!Number.isFinite(tpPct) || tpPct <= 0 || tpPct >= 100) {
    throw new ExitPriceError(
      "invalid-tp-pct",
      `TP percentage must be above 0 and below 100 (e.g. 40), got ${tpPct}.`,
    );
  }
  if (!Number.isFinite(slPct) || slPct <= 100) {
    throw new ExitPriceError("invalid-sl-pct", `SL percentage must be above 100 (e.g. 300), got ${slPct}.`);
  }
  const tpCents = toCents((entryCredit * tpPct) / 100);
  const slCents = toCents((entryCredit * slPct) / 100);
  if (tpCents < 1) {
    throw new ExitPriceError(
      "tp-below-tick",
      `TP at ${tpPct}% of a ${entryCredit} credit rounds to 0.00, which cannot be sent as a limit price.`,
    );
  }
  return { tp: fromCents(tpCents), sl: fromCents(slCents) };
}
