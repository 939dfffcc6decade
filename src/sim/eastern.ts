/** Dates as the exchange sees them: US/Eastern wall clock, days as "YYYYMMDD". */

const FORMAT = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export interface EasternTime {
  ymd: string;
  hh: string;
  mm: string;
  ss: string;
}

export function eastern(date: Date): EasternTime {
  const parts: Record<string, string> = {};
  for (const part of FORMAT.formatToParts(date)) parts[part.type] = part.value;
  return {
    ymd: `${parts.year}${parts.month}${parts.day}`,
    hh: parts.hour ?? "00",
    mm: parts.minute ?? "00",
    ss: parts.second ?? "00",
  };
}

/** Minutes that US/Eastern is behind UTC at that instant (300 in winter, 240 in summer). */
function offsetMinutes(date: Date): number {
  const e = eastern(date);
  const wall = Date.UTC(+e.ymd.slice(0, 4), +e.ymd.slice(4, 6) - 1, +e.ymd.slice(6, 8), +e.hh, +e.mm, +e.ss);
  return Math.round((Math.floor(date.getTime() / 1000) * 1000 - wall) / 60000);
}

/** The instant of a US/Eastern wall-clock time, e.g. ("20260430", 16, 0). */
export function easternInstant(ymd: string, hour: number, minute = 0): Date {
  const wall = Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8), hour, minute);
  const guess = new Date(wall + 300 * 60000);
  return new Date(wall + offsetMinutes(guess) * 60000);
}

export function addDays(ymd: string, days: number): string {
  const d = new Date(Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8) + days));
  return d.toISOString().slice(0, 10).replaceAll("-", "");
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(ymd: string): number {
  return new Date(Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8))).getUTCDay();
}

export function daysBetween(from: string, to: string): number {
  const utc = (ymd: string) => Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

export type ExecTimeFormat = "zone" | "legacy" | "utc";
export const EXEC_TIME_FORMATS: readonly ExecTimeFormat[] = ["zone", "legacy", "utc"];

/**
 * An execution time as gateways send it: "zone" `20260204 09:42:00 US/Eastern` (default), "legacy"
 * `20260204  09:42:00` (two spaces, the gateway's local time = US/Eastern, no zone), "utc" `20260204-14:42:00`.
 */
export function execTime(date: Date, format: ExecTimeFormat): string {
  if (format === "utc") {
    const iso = date.toISOString();
    return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19)}`;
  }
  const e = eastern(date);
  return format === "legacy"
    ? `${e.ymd}  ${e.hh}:${e.mm}:${e.ss}`
    : `${e.ymd} ${e.hh}:${e.mm}:${e.ss} US/Eastern`;
}

/** "20260204 09:42:00 US/Eastern", the form TWS uses for times. */
export function easternStamp(date: Date): string {
  const e = eastern(date);
  return `${e.ymd} ${e.hh}:${e.mm}:${e.ss} US/Eastern`;
}
