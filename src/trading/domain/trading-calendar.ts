import { addDays, toIsoDay } from "./calendar-days.js";
import { type Zone, zone } from "./zoned-time.js";

/** One exchange day learned from IB's liquidHours (or tradingHours). */
export interface TradingDayInfo {
  /** YYYY-MM-DD in the exchange's time zone. */
  day: string;
  status: "open" | "closed";
  /** ISO UTC; the first session's start. */
  openAt?: string;
  /** ISO UTC; the last session's end (13:00 ET on an early close). */
  closeAt?: string;
}

export type TradingHoursResult =
  | { ok: true; timeZone: string; days: TradingDayInfo[] }
  | { ok: false; reason: "unknown-time-zone" | "malformed"; detail: string };

const CLOSED = /^(\d{8}):CLOSED$/i;
const SPANS = /^(\d{8}):(\d{4})-(\d{8}):(\d{4})$/;
const LEGACY = /^(\d{8}):(\d{4}-\d{4}(?:,\d{4}-\d{4})*)$/;

interface Session {
  open: Date;
  close: Date;
}

/**
 * Parses IB's session strings, in today's form
 * `20261124:0930-20261124:1600;20261126:CLOSED` and the older `20090507:0700-1830,1830-2330;20090508:CLOSED`
 * (where an end before its start is on the next day). A session belongs to the day it starts on; a day
 * with several sessions opens with the first and closes with the last (breaks are not kept).
 */
export function parseTradingHours(hours: string, timeZoneId: string): TradingHoursResult {
  let tz: Zone;
  try {
    tz = zone(timeZoneId);
  } catch {
    return {
      ok: false,
      reason: "unknown-time-zone",
      detail: `IB sent an unknown time zone "${timeZoneId}".`,
    };
  }
  const sessions = new Map<string, Session[]>();
  for (const raw of hours.split(";")) {
    const segment = raw.trim();
    if (!segment) continue;
    const parsed = parseSegment(segment, tz);
    if (!parsed) return { ok: false, reason: "malformed", detail: `Cannot read the session "${segment}".` };
    const list = sessions.get(parsed.day) ?? [];
    list.push(...parsed.sessions);
    sessions.set(parsed.day, list);
  }
  const days = [...sessions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, list]): TradingDayInfo => {
      if (list.length === 0) return { day, status: "closed" };
      const open = Math.min(...list.map((s) => s.open.getTime()));
      const close = Math.max(...list.map((s) => s.close.getTime()));
      return {
        day,
        status: "open",
        openAt: new Date(open).toISOString(),
        closeAt: new Date(close).toISOString(),
      };
    });
  return { ok: true, timeZone: tz.timeZone, days };
}

function parseSegment(segment: string, tz: Zone): { day: string; sessions: Session[] } | undefined {
  const closed = CLOSED.exec(segment);
  if (closed) return { day: toIsoDay(closed[1] ?? ""), sessions: [] };
  const spans = SPANS.exec(segment);
  if (spans) {
    const [, startDay = "", start = "", endDay = "", end = ""] = spans;
    const open = at(tz, toIsoDay(startDay), start);
    const close = at(tz, toIsoDay(endDay), end);
    if (!open || !close || close <= open) return undefined;
    return { day: toIsoDay(startDay), sessions: [{ open, close }] };
  }
  const legacy = LEGACY.exec(segment);
  if (legacy) {
    const [, ibDay = "", ranges = ""] = legacy;
    const day = toIsoDay(ibDay);
    const sessions: Session[] = [];
    for (const range of ranges.split(",")) {
      const [start = "", end = ""] = range.split("-");
      const open = at(tz, day, start);
      let close = at(tz, day, end);
      if (!open || !close) return undefined;
      if (close <= open) close = at(tz, addDays(day, 1), end);
      if (!close) return undefined;
      sessions.push({ open, close });
    }
    return { day, sessions };
  }
  return undefined;
}

/** The instant of a day's "HHMM" wall time; "2400" is the next midnight. */
function at(tz: Zone, day: string, hhmm: string): Date | undefined {
  const hour = Number(hhmm.slice(0, 2));
  const minute = Number(hhmm.slice(2, 4));
  if (hour > 24 || minute > 59 || (hour === 24 && minute > 0)) return undefined;
  try {
    return tz.instantOf(day, hour, minute);
  } catch {
    return undefined;
  }
}
