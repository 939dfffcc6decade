/**
 * The one time rule for what a trader reads: New York time with its zone ("09:35 ET",
 * "Tue 2 Dec 09:35 ET"). UTC stays in logs and JSON fields.
 */
const ZONE = "America/New_York";

const CLOCK = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const DAY = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  weekday: "short",
  day: "numeric",
  month: "short",
});
const YMD = new Intl.DateTimeFormat("en-CA", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

function toDate(time: Date | string): Date {
  return time instanceof Date ? time : new Date(time);
}

/** "09:35 ET" */
export function etClock(time: Date | string): string {
  return `${CLOCK.format(toDate(time))} ET`;
}

/** "Tue 2 Dec 09:35 ET" */
export function etDayTime(time: Date | string): string {
  return `${DAY.format(toDate(time)).replace(",", "")} ${etClock(time)}`;
}

/** "09:35 ET" when `time` is on the same New York day as `now`, else "Tue 2 Dec 09:35 ET". */
export function etWhen(time: Date | string, now: Date): string {
  return YMD.format(toDate(time)) === YMD.format(now) ? etClock(time) : etDayTime(time);
}
