import { dayNumber, weekdayOf } from "./calendar-days.js";

/** IB's legacy zone names, mapped to the IANA zone they mean today. */
const IB_ZONE_ALIASES: Readonly<Record<string, string>> = {
  "US/Eastern": "America/New_York",
  EST5EDT: "America/New_York",
  "US/Central": "America/Chicago",
  CST6CDT: "America/Chicago",
  "US/Mountain": "America/Denver",
  MST7MDT: "America/Denver",
  "US/Pacific": "America/Los_Angeles",
  PST8PDT: "America/Los_Angeles",
};

/** An IANA zone for IB's timeZoneId (or any zone Intl knows), or undefined when it is unknown. */
export function resolveTimeZone(timeZoneId: string): string | undefined {
  const candidate = IB_ZONE_ALIASES[timeZoneId.trim()] ?? timeZoneId.trim();
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: candidate }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export interface WallTime {
  /** YYYY-MM-DD */
  day: string;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

export interface Zone {
  timeZone: string;
  /** The wall clock in this zone at an instant. */
  wallTime(instant: Date): WallTime;
  /**
   * The instant a wall-clock time happens in this zone. A time skipped by the spring-forward jump
   * (02:30 on 2026-03-08) moves forward by the jump; a time repeated in the fall takes the first.
   */
  instantOf(day: string, hour: number, minute: number): Date;
}

const zones = new Map<string, Zone>();

/**
 * Conversions for one zone (throws RangeError for an unknown zone); Intl does the DST work.
 * Zones are kept: building an Intl.DateTimeFormat costs more than using one.
 */
export function zone(timeZoneId: string): Zone {
  let z = zones.get(timeZoneId);
  if (!z) {
    z = buildZone(timeZoneId);
    zones.set(timeZoneId, z);
  }
  return z;
}

function buildZone(timeZoneId: string): Zone {
  const timeZone = resolveTimeZone(timeZoneId);
  if (!timeZone) throw new RangeError(`Unknown time zone "${timeZoneId}".`);
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const wallTime = (instant: Date): WallTime => {
    const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
    const day = `${parts.year}-${parts.month}-${parts.day}`;
    return {
      day,
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      weekday: weekdayOf(day),
    };
  };
  // How far the wall clock is ahead of UTC at an instant, in ms (negative in the Americas).
  const offsetAt = (ms: number): number => {
    const wall = wallTime(new Date(ms));
    const wallMs =
      (dayNumber(wall.day) ?? 0) * 86_400_000 + (wall.hour * 3600 + wall.minute * 60 + wall.second) * 1000;
    return wallMs - Math.floor(ms / 1000) * 1000;
  };
  const instantOf = (day: string, hour: number, minute: number): Date => {
    const dayNum = dayNumber(day);
    if (dayNum === undefined) throw new RangeError(`Not a date: "${day}".`);
    const wallMs = Date.UTC(1970, 0, 1 + dayNum, hour, minute);
    const first = offsetAt(wallMs);
    const guess = wallMs - first;
    const second = offsetAt(guess);
    if (second === first) return new Date(guess);
    const retry = wallMs - second;
    // In the spring-forward gap neither offset round-trips; the first guess lands after the jump.
    return new Date(offsetAt(retry) === second ? retry : guess);
  };
  return { timeZone, wallTime, instantOf };
}

/** "HH:MM" (24-hour) to hour and minute, or undefined. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}
