/** Calendar dates without a time zone: "YYYY-MM-DD" (ours) and "YYYYMMDD" (IB's). */

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const IB_DAY = /^(\d{4})(\d{2})(\d{2})$/;

/** Days since 1970-01-01 for a "YYYY-MM-DD" or "YYYYMMDD" date, or undefined when it is not a real date. */
export function dayNumber(day: string): number | undefined {
  const match = ISO_DAY.exec(day) ?? IB_DAY.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return ms / 86_400_000;
}

/** "YYYY-MM-DD" of a day number. */
export function isoDay(dayNum: number): string {
  return new Date(dayNum * 86_400_000).toISOString().slice(0, 10);
}

/** "YYYYMMDD" to "YYYY-MM-DD" (and "YYYY-MM-DD" unchanged). */
export function toIsoDay(day: string): string {
  const match = IB_DAY.exec(day);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : day;
}

export function addDays(isoDate: string, days: number): string {
  const n = dayNumber(isoDate);
  if (n === undefined) throw new RangeError(`Not a date: "${isoDate}".`);
  return isoDay(n + days);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(isoDate: string): number {
  const n = dayNumber(isoDate);
  if (n === undefined) throw new RangeError(`Not a date: "${isoDate}".`);
  // 1970-01-01 was a Thursday.
  return (((n + 4) % 7) + 7) % 7;
}
