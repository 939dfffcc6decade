import type { EntryRunRow, TradingDayRow } from "../../store/index.js";
import { weekdayOf } from "../domain/calendar-days.js";
import { isEntryAllowed, type TradingDayLike } from "../domain/entry-window.js";
import type { ConnState } from "../ib/connection-supervisor.js";
import type { PauseState } from "./schedule-pause.js";

export const CALENDAR_UNKNOWN = "trading calendar unknown (never fetched from the broker)";

/** What the schedule knows about one trading day at one moment. */
export interface DayFacts {
  /** YYYY-MM-DD in the schedule's zone. */
  tradingDay: string;
  calendar: TradingDayLike | undefined;
  paused: PauseState;
  connection: { state: ConnState; reason: string };
  now: Date;
  /** HH:MM of the scheduled entry and of the window's end, in `timeZone`. */
  entryTime: string;
  windowEnd: string;
  timeZone: string;
}

export type TickAction =
  /** `alert`: false for a closed market (a holiday is not news), true for a pause. */
  | { action: "skip"; reason: string; alert: boolean }
  | { action: "miss"; reason: string }
  | { action: "ask"; windowEnd: Date }
  | { action: "place"; windowEnd: Date };

/** What the scheduled tick does on its day. */
export function tickAction(facts: DayFacts, needsApproval: boolean): TickAction {
  const { tradingDay, calendar, paused, connection } = facts;
  if (isClosed(tradingDay, calendar)) {
    return { action: "skip", reason: `the market is closed on ${tradingDay}`, alert: false };
  }
  if (paused.paused) return { action: "skip", reason: pausedReason(paused), alert: true };
  if (!calendar) return { action: "miss", reason: CALENDAR_UNKNOWN };
  const window = windowAt(facts);
  if (!window.allowed) return { action: "miss", reason: window.detail };
  if (connection.state !== "connected") return { action: "miss", reason: gatewayReason(connection) };
  return { action: needsApproval ? "ask" : "place", windowEnd: window.end };
}

export type CatchUpDecision = { offer: true; windowEnd: Date } | { offer: false; why: string };

/**
 * Whether to offer a catch-up for a run that is "missed". A run that "failed" never gets one: the
 * runner may have reached the broker, and a failure that was only the gateway being down is
 * recorded as "missed" in the first place (EntryRunError.gatewayDown).
 */
export function catchUpDecision(facts: DayFacts, run: EntryRunRow | undefined): CatchUpDecision {
  if (run?.status !== "missed")
    return { offer: false, why: `today's run is ${run?.status ?? "not claimed"}` };
  if (facts.paused.paused) return { offer: false, why: pausedReason(facts.paused) };
  if (!facts.calendar) return { offer: false, why: CALENDAR_UNKNOWN };
  if (facts.connection.state !== "connected") return { offer: false, why: gatewayReason(facts.connection) };
  const window = windowAt(facts);
  return window.allowed ? { offer: true, windowEnd: window.end } : { offer: false, why: window.detail };
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

function uncap(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
