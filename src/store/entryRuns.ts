import { type Db, iso } from "./db.js";
import type { EntryRunRow, EntryRunStatus, EntryRunUpdate } from "./schema.js";

/**
 * Claims the day's entry for a strategy. True only for the first claimant: the UNIQUE
 * (strategy, trading_day) constraint makes this the at-most-one-entry-per-day guard.
 */
export async function claimEntryRun(
  db: Db,
  strategy: string,
  tradingDay: string,
  now: Date,
  status: EntryRunStatus = "placing",
  reason: string | null = null,
): Promise<boolean> {
  const result = await db
    .insertInto("entry_runs")
    .values({
      strategy,
      trading_day: tradingDay,
      status,
      reason,
      created_at: iso(now),
      updated_at: iso(now),
    })
    .onConflict((oc) => oc.columns(["strategy", "trading_day"]).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export interface EntryRunChange {
  status?: EntryRunStatus;
  reason?: string | null;
  orderRef?: string | null;
}

/**
 * Updates the day's run. With `onlyFrom`, only when its status is one of those: e.g. a catch-up
 * entry takes over a "missed" run with onlyFrom ["missed"], and exactly one taker gets true.
 */
export async function updateEntryRun(
  db: Db,
  strategy: string,
  tradingDay: string,
  change: EntryRunChange,
  now: Date,
  onlyFrom?: readonly EntryRunStatus[],
): Promise<boolean> {
  const set: EntryRunUpdate = { updated_at: iso(now) };
  if (change.status !== undefined) set.status = change.status;
  if (change.reason !== undefined) set.reason = change.reason;
  if (change.orderRef !== undefined) set.order_ref = change.orderRef;
  let query = db
    .updateTable("entry_runs")
    .set(set)
    .where("strategy", "=", strategy)
    .where("trading_day", "=", tradingDay);
  if (onlyFrom) {
    if (onlyFrom.length === 0) return false;
    query = query.where("status", "in", onlyFrom);
  }
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function entryRun(
  db: Db,
  strategy: string,
  tradingDay: string,
): Promise<EntryRunRow | undefined> {
  return db
    .selectFrom("entry_runs")
    .selectAll()
    .where("strategy", "=", strategy)
    .where("trading_day", "=", tradingDay)
    .executeTakeFirst();
}

/** Newest day first. */
export async function recentEntryRuns(db: Db, limit = 10): Promise<EntryRunRow[]> {
  return db.selectFrom("entry_runs").selectAll().orderBy("trading_day", "desc").limit(limit).execute();
}
