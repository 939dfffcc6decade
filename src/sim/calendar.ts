/**
 * The exchange calendar. It lives only in the simulator, which plays the exchange;
 * the bot must learn the calendar from the liquidHours the simulator sends.
 */
import { addDays, eastern, weekday } from "./eastern.js";

/** NYSE full-day closures 2026-2027. */
export const NYSE_HOLIDAYS: ReadonlySet<string> = new Set([
  "20260101",
  "20260119",
  "20260216",
  "20260403",
  "20260525",
  "20260619",
  "20260703",
  "20260907",
  "20261126",
  "20261225",
  "20270101",
  "20270118",
  "20270215",
  "20270326",
  "20270531",
  "20270618",
  "20270705",
  "20270906",
  "20271125",
  "20271224",
]);

/** NYSE early closes (13:00 ET) 2026-2027. */
export const NYSE_EARLY_CLOSES: ReadonlySet<string> = new Set(["20261127", "20261224", "20271126"]);

export type SessionKind = "STK" | "OPT";

export function isTradingDay(ymd: string): boolean {
  const day = weekday(ymd);
  return day !== 0 && day !== 6 && !NYSE_HOLIDAYS.has(ymd);
}

export interface SessionHours {
  timeZoneId: string;
  tradingHours: string;
  liquidHours: string;
}

/** IB-style session strings ("20261124:0930-20261124:1600;20261126:CLOSED;...") from today on. */
export function sessionHours(now: Date, kind: SessionKind, days = 30): SessionHours {
  const start = eastern(now).ymd;
  const trading: string[] = [];
  const liquid: string[] = [];
  for (let i = 0; i < days; i++) {
    const ymd = addDays(start, i);
    if (!isTradingDay(ymd)) {
      trading.push(`${ymd}:CLOSED`);
      liquid.push(`${ymd}:CLOSED`);
      continue;
    }
    const early = NYSE_EARLY_CLOSES.has(ymd);
    const close = early ? "1300" : "1600";
    const tradingWindow =
      kind === "STK" ? ["0400", early ? "1700" : "2000"] : ["0930", early ? "1315" : "1615"];
    trading.push(`${ymd}:${tradingWindow[0]}-${ymd}:${tradingWindow[1]}`);
    liquid.push(`${ymd}:0930-${ymd}:${close}`);
  }
  return { timeZoneId: "US/Eastern", tradingHours: trading.join(";"), liquidHours: liquid.join(";") };
}

/** The last trading day on or before `ymd`. */
export function tradingDayOnOrBefore(ymd: string): string {
  let day = ymd;
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}
