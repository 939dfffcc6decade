/** SPY's option chain: listed expirations and strikes, and deterministic, reversible conIds. */
import { tradingDayOnOrBefore } from "./calendar.js";
import { addDays, daysBetween, eastern, weekday } from "./eastern.js";
import type { Right, SimContract } from "./types.js";

export const SPY_CONID = 756733;
const OPTION_CONID_BASE = 400_000_000;
const CONID_EPOCH = "20200101";
const MAX_STRIKE = 4999;

export const SPY_STOCK: SimContract = {
  conId: SPY_CONID,
  symbol: "SPY",
  secType: "STK",
  expiry: "",
  strike: 0,
  right: "",
  multiplier: 1,
  exchange: "SMART",
  primaryExch: "ARCA",
  currency: "USD",
  localSymbol: "SPY",
  tradingClass: "SPY",
};

export function optionConId(expiry: string, strike: number, right: Right): number {
  const days = daysBetween(CONID_EPOCH, expiry);
  return OPTION_CONID_BASE + (days * 2 + (right === "P" ? 1 : 0)) * 5000 + strike;
}

export function spyOption(expiry: string, strike: number, right: Right): SimContract {
  const occStrike = String(Math.round(strike * 1000)).padStart(8, "0");
  return {
    conId: optionConId(expiry, strike, right),
    symbol: "SPY",
    secType: "OPT",
    expiry,
    strike,
    right,
    multiplier: 100,
    exchange: "SMART",
    primaryExch: "",
    currency: "USD",
    localSymbol: `SPY   ${expiry.slice(2)}${right}${occStrike}`,
    tradingClass: "SPY",
  };
}

/** Reverses optionConId; undefined when the number cannot be one of ours. */
export function decodeOptionConId(conId: number): SimContract | undefined {
  const n = conId - OPTION_CONID_BASE;
  if (!Number.isInteger(n) || n <= 0) return undefined;
  const strike = n % 5000;
  const rest = (n - strike) / 5000;
  if (strike < 1 || strike > MAX_STRIKE) return undefined;
  const right: Right = rest % 2 === 1 ? "P" : "C";
  const days = Math.floor(rest / 2);
  return spyOption(addDays(CONID_EPOCH, days), strike, right);
}

/** Weekly Friday expirations plus month-ends, out to `horizonDays`; a holiday moves it to the day before. */
export function listedExpirations(now: Date, horizonDays = 180): string[] {
  const today = eastern(now);
  const afterClose = Number(today.hh) >= 16;
  const found = new Set<string>();
  for (let i = 0; i <= horizonDays; i++) {
    const day = addDays(today.ymd, i);
    const nextDay = addDays(day, 1);
    const isFriday = weekday(day) === 5;
    const isMonthEnd = nextDay.slice(4, 6) !== day.slice(4, 6);
    if (isFriday || isMonthEnd) found.add(tradingDayOnOrBefore(day));
  }
  return [...found].filter((d) => d > today.ymd || (d === today.ymd && !afterClose)).sort();
}

/** Strikes every $1 within ±25 % of the listing spot: the union over every expiration. */
export function listedStrikes(listingSpot: number): number[] {
  const low = Math.max(1, Math.ceil(listingSpot * 0.75));
  const high = Math.min(MAX_STRIKE, Math.floor(listingSpot * 1.25));
  return Array.from({ length: Math.max(0, high - low + 1) }, (_, i) => low + i);
}

/** Beyond this many days an expiration lists $1 strikes only near the money, and $5 ones away from it. */
export const FAR_EXPIRY_DAYS = 80;
/** How near the money (a fraction of the listing spot) a far expiration still lists every $1. */
export const FAR_DOLLAR_BAND = 0.1;

/**
 * One expiration's strikes, as SPY lists them: near ones every $1 within ±25 %; far ones every $1
 * within ±10 % of the listing spot and every $5 beyond, so a union strike may not exist there.
 */
export function strikesForExpiry(listingSpot: number, daysToExpiry: number): number[] {
  const all = listedStrikes(listingSpot);
  if (daysToExpiry <= FAR_EXPIRY_DAYS) return all;
  const band = listingSpot * FAR_DOLLAR_BAND;
  return all.filter((k) => Math.abs(k - listingSpot) <= band || k % 5 === 0);
}

/** The listed expiration closest to `now + days` (ties go to the later one). */
export function expirationNear(now: Date, days: number): string {
  const target = addDays(eastern(now).ymd, days);
  const listed = listedExpirations(now, days + 60);
  let best = listed[0] ?? target;
  for (const expiry of listed) {
    if (Math.abs(daysBetween(target, expiry)) <= Math.abs(daysBetween(target, best))) best = expiry;
  }
  return best;
}
