import { fromCents, isWholeCents, toCents } from "./price-ticks.js";

/** The quote and settings that price a SELL entry's limit. */
export interface LadderInput {
  bid: number;
  ask: number;
  /** Dollars per step toward the bid; a whole number of cents. */
  step: number;
  /** The limit never goes below this % of the mid (0 < floorPct <= 100). */
  floorPct: number;
}

export interface LadderBounds {
  mid: number;
  /** The first limit: the mid rounded up to the tick, so a sell never starts below the mid. */
  start: number;
  /** max(bid, mid * floorPct / 100), rounded up to the tick. */
  floor: number;
}

export class LadderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LadderError";
  }
}

export function ladderBounds(input: LadderInput): LadderBounds {
  const { bid, ask, step, floorPct } = input;
  if (!Number.isFinite(bid) || bid <= 0) throw new LadderError(`Bid must be above 0, got ${bid}.`);
  if (!Number.isFinite(ask) || ask <= bid) {
    throw new LadderError(`Ask must be above the bid (${bid}), got ${ask}.`);
  }
  if (!Number.isFinite(step) || step <= 0 || !isWholeCents(step)) {
    throw new LadderError(`Step must be a positive multiple of 0.01, got ${step}.`);
  }
  if (!Number.isFinite(floorPct) || floorPct <= 0 || floorPct > 100) {
    throw new LadderError(`Floor must be above 0 and at most 100 % of the mid, got ${floorPct}.`);
  }
  const mid = (bid + ask) / 2;
  const start = toCents(mid, "up");
  const floor = Math.min(start, toCents(Math.max(bid, (mid * floorPct) / 100), "up"));
  return { mid, start: fromCents(start), floor: fromCents(floor) };
}

/** The limit after `stepIndex` steps (0 = the first price), never below the floor. */
export function limitAt(stepIndex: number, input: LadderInput): number {
  if (!Number.isSafeInteger(stepIndex) || stepIndex < 0) {
    throw new LadderError(`Step index must be a whole number from 0, got ${stepIndex}.`);
  }
  const { start, floor } = ladderBounds(input);
  const cents = toCents(start) - stepIndex * toCents(input.step);
  return fromCents(Math.max(toCents(floor), cents));
}

/** Every distinct limit from the start down to the floor, in order. */
export function ladder(input: LadderInput): number[] {
  const { start, floor } = ladderBounds(input);
  const stepCents = toCents(input.step);
  const floorCents = toCents(floor);
  const prices: number[] = [];
  for (let cents = toCents(start); cents > floorCents; cents -= stepCents) prices.push(fromCents(cents));
  prices.push(floor);
  return prices;
}

/**
 * The ladder's next price strictly below `current` (the order's working limit), or null when the
 * floor is reached. A ladder resumed on a fresh quote continues from wherever the order stands.
 */
export function nextLimitBelow(current: number, input: LadderInput): number | null {
  return ladder(input).find((price) => toCents(price) < toCents(current)) ?? null;
}

/**
 * The working limit's next price: the ladder's next price below it, but never more than one step
 * down. A limit the trader set above the mid walks down step by step from there instead of
 * jumping to the mid; one on the ladder moves exactly as nextLimitBelow says. Null at the floor.
 */
export function stepDown(current: number, input: LadderInput): number | null {
  const next = nextLimitBelow(current, input);
  if (next === null || !Number.isFinite(current)) return next;
  return fromCents(Math.max(toCents(next), toCents(current) - toCents(input.step)));
}

/** Which step applies at `now` when the order went out at `startedAt` and reprices every `repriceS` seconds. */
export function stepIndexAt(startedAt: Date | string, now: Date | string, repriceS: number): number {
  if (!Number.isFinite(repriceS) || repriceS <= 0) {
    throw new LadderError(`Reprice interval must be above 0 seconds, got ${repriceS}.`);
  }
  const elapsedMs = new Date(now).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(elapsedMs)) throw new LadderError("Start and now must be valid times.");
  return Math.max(0, Math.floor(elapsedMs / (repriceS * 1000)));
}
