import type { EntryRunRow, TradingDayRow } from "../../store/index.js";
import { weekdayOf } from "../domain/calendar-days.js";
import { isEntryAllowed, type TradingDayLike } from "../domain/entry-window.js";
import { parseClockTime, zone } from "../domain/zoned-time.js";
import type { ConnState } from "../ib/connection-supervisor.js";
import type { Farm } from "../ib/ib-codes.js";
import type { PauseState } from "./schedule-pause.js";

export const CALENDAR_UNKNOWN = "trading calendar unknown (never fetched from the broker)";

/** The connection as the schedule sees it; the farms and connectivity say what a `degraded` lacks. */
export interface ConnectionFacts {
  state: ConnState;
  reason: string;
  /** IB's own link is down (1100/2110): nothing reaches the exchange. */
  connectivityLost?: boolean;
  /** The data farms IB reported broken. */
  farmsDown?: readonly Farm[];
}

/**
 * Why the entry cannot be placed now, or null when it can. The entry needs the order-routing
 * connection (socket up, IB's connectivity not lost), option quotes (market data farm) and contract
 * lookups (security definition farm); a broken historical data farm is shown, never a block.
 */
export function entryBlocker(connection: ConnectionFacts): string | null {
  const { state } = connection;
  if (state === "connected") return null;
  if (state !== "degraded" || connection.connectivityLost || connection.farmsDown === undefined) {
    return gatewayReason(connection);
  }
  const needed = connection.farmsDown.filter((f) => f !== "historical data");
  if (needed.length === 0) return null;
  return `gateway degraded: the ${needed.join(" and ")} farm${needed.length > 1 ? "s are" : " is"} broken (the entry needs ${needed.includes("market data") ? "option quotes" : "contract lookups"})`;
}

/** What the schedule knows about one trading day at one moment. */
export interface DayFacts {
  /** YYYY-MM-DD in the schedule's zone. */
  tradingDay: string;
  calendar: TradingDayLike | undefined;
  paused: PauseState;
  connection: ConnectionFacts;
  now: Date;
  /** HH:MM of the scheduled entry and of the window's end, in `timeZone`. */
  entryTime: string;
  windowEnd: string;
  timeZone: string;
}

export type TickAction =
  /** `alert`: false for a closed market (a holiday is not news), true for a pause. */
  | { action: "skip"; reason: string; alert: boolean }
  /** `catchUpUntil`: a catch-up can still be offered until then (null: not today). */
  | { action: "miss"; reason: string; catchUpUntil: Date | null }
  | { action: "ask"; windowEnd: Date }
  | { action: "place"; windowEnd: Date };

/** What the scheduled tick does on its day. */
export function tickAction(facts: DayFacts, needsApproval: boolean): TickAction {
  const { tradingDay, calendar, paused, connection } = facts;
  if (isClosed(tradingDay, calendar)) {
    return { action: "skip", reason: `the market is closed on ${tradingDay}`, alert: false };
  }
  if (paused.paused) return { action: "skip", reason: pausedReason(paused), alert: true };
  if (!calendar) {
    // Once the calendar arrives, a catch-up can still be offered before the usual window end.
    const end = configuredWindowEnd(facts);
    return { action: "miss", reason: CALENDAR_UNKNOWN, catchUpUntil: facts.now < end ? end : null };
  }
  const window = windowAt(facts);
  if (!window.allowed) return { action: "miss", reason: window.detail, catchUpUntil: null };
  const blocker = entryBlocker(connection);
  if (blocker) return { action: "miss", reason: blocker, catchUpUntil: window.end };
  return { action: needsApproval ? "ask" : "place", windowEnd: window.end };
}

export const NOT_RUNNING = "the bot was not running at the scheduled time";

/** How long after the scheduled time an unclaimed day counts as missed, so a late tick still wins. */
const UNCLAIMED_GRACE_MS = 120_000;

export type CatchUpDecision =
  /** `claimFirst`: nobody claimed the day (the bot was down at the scheduled time): claim it as missed. */
  { offer: true; windowEnd: Date; claimFirst: boolean } | { offer: false; why: string };

/**
 * Whether to offer a catch-up for today's run: one that is "missed", or one nobody claimed although
 * its time (`scheduledAt`, null on a day without an entry) has passed. A run that "failed" never gets
 * one: the runner may have reached the broker, and a failure that was only the gateway being down
 * is recorded as "missed" in the first place (EntryRunError.gatewayDown).
 */
export function catchUpDecision(
  facts: DayFacts,
  run: EntryRunRow | undefined,
  scheduledAt: Date | null,
): CatchUpDecision {
  const unclaimed =
    run === undefined &&
    scheduledAt !== null &&
    facts.now.getTime() >= scheduledAt.getTime() + UNCLAIMED_GRACE_MS &&
    !isClosed(facts.tradingDay, facts.calendar);
  if (run?.status !== "missed" && !unclaimed) {
    return { offer: false, why: `today's run is ${run?.status ?? "not due"}` };
  }
  if (facts.paused.paused) return { offer: false, why: pausedReason(facts.paused) };
  if (!facts.calendar) return { offer: false, why: CALENDAR_UNKNOWN };
  const blocker = entryBlocker(facts.connection);
  if (blocker) return { offer: false, why: blocker };
  const window = windowAt(facts);
  if (!window.allowed) return { offer: false, why: window.detail };
  return { offer: true, windowEnd: window.end, claimFirst: unclaimed };
}

export function isClosed(tradingDay: string, calendar: TradingDayLike | undefined): boolean {
  if (calendar) return calendar.status === "closed";
  const weekday = weekdayOf(tradingDay);
  return weekday === 0 || weekday === 6;
}

export function gatewayReason(connection: { state: ConnState; reason: string }): string {
  return `gateway ${connection.state}: ${connection.reason}`;
}

export function pausedReason(paused: PauseState): string {
  return `the schedule is paused (by ${paused.by ?? "someone"}; /resume to trade again)`;
}

export function toTradingDayLike(row: TradingDayRow | undefined): TradingDayLike | undefined {
  return row && { day: row.day, status: row.status, openAt: row.open_at, closeAt: row.close_at };
}

type Window = { allowed: true; end: Date } | { allowed: false; detail: string };

function windowAt(facts: DayFacts): Window {
  const check = isEntryAllowed(facts.calendar, facts.now, facts.entryTime, facts.windowEnd, facts.timeZone);
  if (check.allowed) return { allowed: true, end: new Date(check.windowEnd) };
  return { allowed: false, detail: uncap(check.detail.replace(/\.$/, "")) };
}

function configuredWindowEnd(facts: DayFacts): Date {
  const end = parseClockTime(facts.windowEnd);
  if (!end) throw new RangeError(`Window end must be HH:MM, got "${facts.windowEnd}".`);
  return zone(facts.timeZone).instantOf(facts.tradingDay, end.hour, end.minute);
}

function uncap(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
