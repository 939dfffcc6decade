import { dayNumber } from "./calendar-days.js";
import type { OptionRight } from "./order-refs.js";

export interface ExpiryWindow {
  target: number;
  min: number;
  max: number;
}

export interface ExpiryOption {
  /** YYYYMMDD, as IB lists it. */
  expiry: string;
  /** Calendar days from today. */
  dte: number;
}

export type ExpiryChoice =
  | ({ ok: true } & ExpiryOption)
  | { ok: false; reason: "none-in-window"; window: ExpiryWindow; available: ExpiryOption[] };

/**
 * The expiration whose calendar days to expiry is closest to `target` within [min, max].
 * A tie goes to the later expiration (more premium, and at least the target). Unparseable
 * expirations are skipped; `available` lists the rest, sorted, when none fits.
 */
export function chooseExpiry(
  expirations: readonly string[],
  today: string,
  target = 85,
  min = 70,
  max = 100,
): ExpiryChoice {
  const todayNum = /^\d{4}-\d{2}-\d{2}$/.test(today) ? dayNumber(today) : undefined;
  if (todayNum === undefined) throw new RangeError(`Today must be YYYY-MM-DD, got "${today}".`);
  const options = new Map<string, ExpiryOption>();
  for (const expiry of expirations) {
    const n = dayNumber(expiry);
    if (n !== undefined && /^\d{8}$/.test(expiry)) options.set(expiry, { expiry, dte: n - todayNum });
  }
  const sorted = [...options.values()].sort((a, b) => a.dte - b.dte);
  let best: ExpiryOption | undefined;
  for (const option of sorted) {
    if (option.dte < min || option.dte > max) continue;
    // Ascending order plus `<=` makes the later expiration win a tie.
    if (!best || Math.abs(option.dte - target) <= Math.abs(best.dte - target)) best = option;
  }
  if (!best) return { ok: false, reason: "none-in-window", window: { target, min, max }, available: sorted };
  return { ok: true, ...best };
}

export interface StrikeCandidate {
  strike: number;
  /** Signed, as IB sends it (negative for puts); missing until the option computation tick arrives. */
  delta?: number | null;
  bid?: number | null;
  ask?: number | null;
}

export type UnusableQuote = "no-delta" | "no-bid" | "no-ask" | "crossed-or-locked";

export type StrikeChoice<T extends StrikeCandidate> =
  | { ok: true; candidate: T; absDelta: number; deltaDistance: number }
  | { ok: false; reason: "empty-chain" }
  | { ok: false; reason: "no-usable-quotes"; rejected: { strike: number; why: UnusableQuote }[] }
  | { ok: false; reason: "none-near-target"; closest: T; absDelta: number; maxDeltaDistance: number };

export interface StrikeOptions {
  /** Ties go further out of the money: the lower strike for puts, the higher for calls. */
  right?: OptionRight;
  /** Refuse a pick whose |delta| is further than this from the target. */
  maxDeltaDistance?: number;
}

/** The candidate whose |delta| is closest to `targetAbsDelta`, among those with a usable quote. */
export function chooseStrike<T extends StrikeCandidate>(
  candidates: readonly T[],
  targetAbsDelta: number,
  options: StrikeOptions = {},
): StrikeChoice<T> {
  if (candidates.length === 0) return { ok: false, reason: "empty-chain" };
  const right = options.right ?? "P";
  const rejected: { strike: number; why: UnusableQuote }[] = [];
  let best: { candidate: T; absDelta: number; deltaDistance: number } | undefined;
  for (const candidate of candidates) {
    const why = unusable(candidate);
    if (why) {
      rejected.push({ strike: candidate.strike, why });
      continue;
    }
    const absDelta = Math.abs(candidate.delta as number);
    const deltaDistance = Math.abs(absDelta - targetAbsDelta);
    if (!best || deltaDistance < best.deltaDistance - 1e-12) {
      best = { candidate, absDelta, deltaDistance };
    } else if (
      Math.abs(deltaDistance - best.deltaDistance) <= 1e-12 &&
      furtherOut(candidate, best.candidate, right)
    ) {
      best = { candidate, absDelta, deltaDistance };
    }
  }
  if (!best) return { ok: false, reason: "no-usable-quotes", rejected };
  const max = options.maxDeltaDistance;
  if (max !== undefined && best.deltaDistance > max) {
    return {
      ok: false,
      reason: "none-near-target",
      closest: best.candidate,
      absDelta: best.absDelta,
      maxDeltaDistance: max,
    };
  }
  return { ok: true, ...best };
}

function unusable(c: StrikeCandidate): UnusableQuote | undefined {
  // IB leaves unset greeks at huge sentinel values, so |delta| > 1 is as good as missing.
  if (c.delta == null || !Number.isFinite(c.delta) || Math.abs(c.delta) > 1) return "no-delta";
  if (c.bid == null || !Number.isFinite(c.bid) || c.bid <= 0) return "no-bid";
  if (c.ask == null || !Number.isFinite(c.ask) || c.ask <= 0) return "no-ask";
  if (c.ask <= c.bid) return "crossed-or-locked";
  return undefined;
}

function furtherOut(a: StrikeCandidate, b: StrikeCandidate, right: OptionRight): boolean {
  return right === "P" ? a.strike < b.strike : a.strike > b.strike;
}
