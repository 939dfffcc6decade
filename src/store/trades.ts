import { type Db, iso } from "./db.js";
import type { CloseReason, TradeRow } from "./schema.js";

export interface NewTrade {
  positionId: number;
  /** The position's signed quantity: -1 for one short contract. */
  quantity: number;
  entryPrice: number;
  exitPrice: number;
  multiplier: number;
  /** Dollars, all legs together. */
  commission: number;
  reason: CloseReason;
  openedAt: Date;
  closedAt: Date;
  /** The execution that closed it, if one did. */
  execId?: string | null;
}

/**
 * Realized P&L in dollars: (exit - entry) x quantity x multiplier - commission.
 * For a short (quantity < 0) that is (entry - exit) x |quantity| x multiplier - commission.
 */
export function tradePnl(trade: {
  quantity: number;
  entryPrice: number;
  exitPrice: number;
  multiplier: number;
  commission: number;
}): number {
  const gross = (trade.exitPrice - trade.entryPrice) * trade.quantity * trade.multiplier;
  // Round to cents so float noise (6.16 - 2.46 ...) does not leak into reports.
  return Math.round((gross - trade.commission) * 100) / 100;
}

export async function recordTrade(db: Db, trade: NewTrade): Promise<TradeRow> {
  return db
    .insertInto("trades")
    .values({
      position_id: trade.positionId,
      quantity: trade.quantity,
      entry_price: trade.entryPrice,
      exit_price: trade.exitPrice,
      pnl: tradePnl(trade),
      commission: trade.commission,
      reason: trade.reason,
      opened_at: iso(trade.openedAt),
      closed_at: iso(trade.closedAt),
      exec_id: trade.execId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Most recently closed first. */
export async function recentTrades(db: Db, limit: number): Promise<TradeRow[]> {
  return db
    .selectFrom("trades")
    .selectAll()
    .orderBy("closed_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Trades closed at or after `since`, oldest first. */
export async function tradesSince(db: Db, since: Date): Promise<TradeRow[]> {
  return db
    .selectFrom("trades")
    .selectAll()
    .where("closed_at", ">=", iso(since))
    .orderBy("closed_at")
    .orderBy("id")
    .execute();
}

export async function tradesForPosition(db: Db, positionId: number): Promise<TradeRow[]> {
  return db.selectFrom("trades").selectAll().where("position_id", "=", positionId).orderBy("id").execute();
}

export async function tradeByExecution(db: Db, execId: string): Promise<TradeRow | undefined> {
  return db.selectFrom("trades").selectAll().where("exec_id", "=", execId).executeTakeFirst();
}

/** Puts a trade right after its closing execution was corrected or its commission reported. */
export async function updateTrade(
  db: Db,
  id: number,
  change: { exitPrice: number; commission: number; pnl: number; execId: string },
): Promise<void> {
  await db
    .updateTable("trades")
    .set({
      exit_price: change.exitPrice,
      commission: change.commission,
      pnl: change.pnl,
      exec_id: change.execId,
    })
    .where("id", "=", id)
    .execute();
}
