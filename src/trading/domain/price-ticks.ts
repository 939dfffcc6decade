/** SPY options trade in $0.01 increments; all prices here are whole cents. */
export const TICK = 0.01;

export type TickRounding = "nearest" | "up" | "down";

/**
 * Dollars to whole cents. Float noise is cut at a millionth of a cent first, so 6.08 * 40 (which is
 * 243.20000000000002 in binary floating point) counts as 243.2 and an exact half like 181.5 stays a half.
 * "nearest" rounds halves up.
 */
export function toCents(dollars: number, rounding: TickRounding = "nearest"): number {
  const cents = Math.round(dollars * 100 * 1e6) / 1e6;
  if (rounding === "up") return Math.ceil(cents);
  if (rounding === "down") return Math.floor(cents);
  return Math.round(cents);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

export function roundToTick(dollars: number, rounding: TickRounding = "nearest"): number {
  return fromCents(toCents(dollars, rounding));
}

/** True when the amount is a whole number of cents (within float noise). */
export function isWholeCents(dollars: number): boolean {
  return Math.abs(dollars * 100 - Math.round(dollars * 100)) < 1e-6;
}
