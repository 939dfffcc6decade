import { parseClockTime, zone } from "./zoned-time.js";

/** A trading day as the calendar parser returns it, or as the store keeps it (Dates or ISO strings). */
export interface TradingDayLike {
  /** YYYY-MM-DD in the exchange's time zone. */
  day: string;
  status: "open" | "closed";
  openAt?: string | Date | null;
  closeAt?: string | Date | null;
}

export type EntryBlockedReason =
  | "no-calendar"
  | "wrong-day"
  | "closed"
  | "before-open"
  | "before-entry-time"
  | "after-window-end"
  | "after-close";

export type EntryWindowCheck =
  | { allowed: true; windowStart: string; windowEnd: string }
  | { allowed: false; reason: EntryBlockedReason; detail: string };

/**
 * Whether an entry may be placed at `now`: on an open day, from the later of the open and `entryTime`
 * until the earlier of `windowEnd` and the close (an early close at 13:00 ends the window then).
 * `day` must be today's entry in the calendar (today in `timeZone`); undefined means the calendar does
 * not know today. Times are HH:MM in `timeZone`.
 */
export function isEntryAllowed(
  day: TradingDayLike | undefined,
  now: Date | string,
  entryTime = "09:35",
  windowEnd = "15:30",
  timeZone = "America/New_York",
): EntryWindowCheck {
  const tz = zone(timeZone);
  const start = parseClockTime(entryTime);
  const end = parseClockTime(windowEnd);
  if (!start) throw new RangeError(`Entry time must be HH:MM, got "${entryTime}".`);
  if (!end) throw new RangeError(`Window end must be HH:MM, got "${windowEnd}".`);
  const instant = new Date(now);
  const today = tz.wallTime(instant).day;
  if (!day) return blocked("no-calendar", `The trading calendar has no entry for ${today}.`);
  if (day.day !== today)
    return blocked("wrong-day", `Asked about ${day.day}, but it is ${today} in ${tz.timeZone}.`);
  if (day.status === "closed") return blocked("closed", `The market is closed on ${day.day}.`);

  const openAt = toDate(day.openAt);
  const closeAt = toDate(day.closeAt);
  const entryAt = tz.instantOf(day.day, start.hour, start.minute);
  const endAt = tz.instantOf(day.day, end.hour, end.minute);
  const windowStart = openAt && openAt > entryAt ? openAt : entryAt;
  const earlyClose = closeAt !== undefined && closeAt < endAt;
  const windowEndAt = earlyClose ? closeAt : endAt;

  if (openAt && instant < openAt)
    return blocked("before-open", `The market opens at ${openAt.toISOString()}.`);
  if (instant < entryAt) return blocked("before-entry-time", `Entries start at ${entryTime} ${tz.timeZone}.`);
  if (earlyClose && instant >= closeAt) {
    return blocked("after-close", `The market closed early, at ${closeAt.toISOString()}.`);
  }
  if (instant >= endAt)
    return blocked("after-window-end", `The entry window ended at ${windowEnd} ${tz.timeZone}.`);
  return { allowed: true, windowStart: windowStart.toISOString(), windowEnd: windowEndAt.toISOString() };
}

function blocked(reason: EntryBlockedReason, detail: string): EntryWindowCheck {
  return { allowed: false, reason, detail };
}

function toDate(value: string | Date | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
