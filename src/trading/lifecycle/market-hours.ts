import { calendar, type Db } from "../../store/index.js";
import { addDays } from "../domain/calendar-days.js";

/** Whether the market is in its regular session now, by the broker's calendar (SPY liquidHours). */
export type MarketHours =
  | { known: false }
  | { known: true; open: true; closesAt: string }
  | { known: true; open: false; opensAt: string | null };

/**
 * Regular trading hours at `now` from the stored calendar. A day the calendar does not know is
 * unknown (the schedule treats it as open): nothing is claimed about it.
 */
export async function marketHours(db: Db, today: string, now: Date): Promise<MarketHours> {
  const rows = await calendar.tradingDaysBetween(db, today, addDays(today, 14));
  const todayRow = rows.find((r) => r.day === today);
  if (!todayRow) return { known: false };
  const at = (v: string | Date | null) => (v === null ? null : new Date(v));
  const open = at(todayRow.open_at);
  const close = at(todayRow.close_at);
  if (todayRow.status === "open" && open && close && open <= now && now < close) {
    return { known: true, open: true, closesAt: close.toISOString() };
  }
  const next = rows
    .filter((r) => r.status === "open")
    .map((r) => at(r.open_at))
    .find((d): d is Date => d !== null && d > now);
  return { known: true, open: false, opensAt: next?.toISOString() ?? null };
}
