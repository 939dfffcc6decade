/** The entry schedule: one time of day on some days of the week, in the schedule's time zone. */
export interface EntrySchedule {
  minute: number;
  hour: number;
  /** Sorted, unique, 0 = Sunday ... 6 = Saturday. */
  daysOfWeek: number[];
}

export type EntryCronResult = { ok: true; schedule: EntrySchedule } | { ok: false; error: string };

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/**
 * Reads the simple cron form the entry uses: `minute hour * * day-of-week`, e.g. `35 9 * * 1-5`.
 * Minute and hour are single numbers; day-of-week takes `*`, numbers 0-7 (0 and 7 are Sunday),
 * names (MON), ranges and lists (`1-3,5`). Anything richer is an error, not a guess.
 */
export function parseEntryCron(spec: string): EntryCronResult {
  const fields = spec.trim().split(/\s+/);
  if (fields.length !== 5) {
    return fail(spec, `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  const [minuteText = "", hourText = "", dayOfMonth = "", month = "", dowText = ""] = fields;
  const minute = wholeNumber(minuteText, 0, 59);
  if (minute === undefined) return fail(spec, `minute must be one number 0-59, got "${minuteText}"`);
  const hour = wholeNumber(hourText, 0, 23);
  if (hour === undefined) return fail(spec, `hour must be one number 0-23, got "${hourText}"`);
  if (dayOfMonth !== "*") return fail(spec, `day-of-month must be "*", got "${dayOfMonth}"`);
  if (month !== "*") return fail(spec, `month must be "*", got "${month}"`);
  const daysOfWeek = parseDaysOfWeek(dowText);
  if (!daysOfWeek)
    return fail(spec, `day-of-week must be "*" or days 0-7 in lists and ranges, got "${dowText}"`);
  return { ok: true, schedule: { minute, hour, daysOfWeek } };
}

function parseDaysOfWeek(text: string): number[] | undefined {
  if (text === "*") return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const item of text.split(",")) {
    const [fromText = "", toText, extra] = item.split("-");
    if (extra !== undefined) return undefined;
    const from = dayOfWeek(fromText);
    const to = toText === undefined ? from : dayOfWeek(toText);
    if (from === undefined || to === undefined || from > to) return undefined;
    for (let day = from; day <= to; day++) days.add(day % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/** 0-7 (7 is Sunday again, kept as 7 so ranges like 5-7 work) or a three-letter name. */
function dayOfWeek(text: string): number | undefined {
  const named = DAY_NAMES.indexOf(text.toUpperCase());
  if (named >= 0) return named;
  return wholeNumber(text, 0, 7);
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

function fail(spec: string, problem: string): EntryCronResult {
  return { ok: false, error: `Cannot use entry schedule "${spec}": ${problem}.` };
}
