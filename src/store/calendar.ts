import { type Db, inTransaction, iso } from "./db.js";
import type { TradingDayRow } from "./schema.js";

export interface TradingDay {
  /** YYYY-MM-DD in the exchange's time zone. */
  day: string;
  status: "open" | "closed";
  openAt: Date | null;
  closeAt: Date | null;
  /** Where it was learned, e.g. "ib:liquidHours". */
  source: string;
}

/** Stores the days (replacing what was known about each) in one transaction. */
export async function upsertTradingDays(db: Db, days: readonly TradingDay[], now: Date): Promise<void> {
  if (days.length === 0) return;
  await inTransaction(db, async (trx) => {
    for (const day of days) {
      const row = {
        day: day.day,
        status: day.status,
        open_at: day.openAt && iso(day.openAt),
        close_at: day.closeAt && iso(day.closeAt),
        source: day.source,
        updated_at: iso(now),
      };
      await trx
        .insertInto("trading_days")
        .values(row)
        .onConflict((oc) =>
          oc.column("day").doUpdateSet({
            status: row.status,
            open_at: row.open_at,
            close_at: row.close_at,
            source: row.source,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    }
  });
}

export async function tradingDay(db: Db, day: string): Promise<TradingDayRow | undefined> {
  return db.selectFrom("trading_days").selectAll().where("day", "=", day).executeTakeFirst();
}

/** Known days from `from` to `to` inclusive (YYYY-MM-DD), in order. */
export async function tradingDaysBetween(db: Db, from: string, to: string): Promise<TradingDayRow[]> {
  return db
    .selectFrom("trading_days")
    .selectAll()
    .where("day", ">=", from)
    .where("day", "<=", to)
    .orderBy("day")
    .execute();
}
