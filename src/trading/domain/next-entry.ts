import { addDays, weekdayOf } from "./calendar-days.js";
import { type EntrySchedule, parseEntryCron } from "./entry-cron.js";
import type { TradingDayLike } from "./entry-window.js";
import { zone } from "./zoned-time.js";

export interface NextEntryInput {
  /** The cron text (`35 9 * * 1-5`) or an already parsed schedule. */
  schedule: string | EntrySchedule;
  /** Days learned from IB; days it does not list count as open on weekdays. */
  tradingDays: readonly TradingDayLike[];
  timeZone: string;
  now: Date | string;
  /** How many days ahead to look; 30 covers any run of holidays. */
  horizonDays?: number;
}

export type NextEntry =
  | {
      ok: true;
      /** ISO UTC. */
      at: string;
      /** YYYY-MM-DD in the schedule's zone. */
      day: string;
      /** False when the day is beyond what the calendar knows (assumed open). */
      calendarKnown: boolean;
    }
  | { ok: false; reason: "invalid-schedule" | "none-within-horizon"; detail: string };

/**
 * The next scheduled entry strictly after `now`: a day the schedule names, never a weekend, not closed
 * in the calendar, and not one that closes (early) before the entry time.
 */
export function nextEntry(input: NextEntryInput): NextEntry {
  let schedule: EntrySchedule;
  if (typeof input.schedule === "string") {
    const parsed = parseEntryCron(input.schedule);
    if (!parsed.ok) return { ok: false, reason: "invalid-schedule", detail: parsed.error };
    schedule = parsed.schedule;
  } else {
    schedule = input.schedule;
  }
  const tz = zone(input.timeZone);
  const now = new Date(input.now);
  const known = new Map(input.tradingDays.map((d) => [d.day, d]));
  const horizon = input.horizonDays ?? 30;
  const today = tz.wallTime(now).day;
  const weekdays = new Set(schedule.daysOfWeek);
  for (let offset = 0; offset <= horizon; offset++) {
    const day = addDays(today, offset);
    const weekday = weekdayOf(day);
    if (!weekdays.has(weekday) || weekday === 0 || weekday === 6) continue;
    const info = known.get(day);
    if (info?.status === "closed") continue;
    const at = tz.instantOf(day, schedule.hour, schedule.minute);
    if (at <= now) continue;
    if (info?.closeAt && new Date(info.closeAt) <= at) continue;
    return { ok: true, at: at.toISOString(), day, calendarKnown: info !== undefined };
  }
  return {
    ok: false,
    reason: "none-within-horizon",
    detail: `No entry day in the next ${horizon} days after ${today}.`,
  };
}
