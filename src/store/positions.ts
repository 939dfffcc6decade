import { type Db, iso } from "./db.js";
import type { CloseReason, OptionRight, PositionRow, PositionSource, PositionStatus } from "./schema.js";

export interface NewPosition {
  strategy: string;
  account: string;
  conId: number;
  symbol: string;
  secType: string;
  expiry: string;
  strike: number;
  right: OptionRight;
  multiplier?: number;
  /** Signed: -1 is one contract short. */
  quantity: number;
  entryPrice: number;
  entryOrderRef?: string | null;
  source: PositionSource;
  openedAt: Date;
}

/** `id` is for importing a journal's own numbering (the demo's positions 10, 11, 16, 18). */
export async function insertPosition(
  db: Db,
  position: NewPosition & { id?: number },
  now: Date,
): Promise<PositionRow> {
  return db
    .insertInto("positions")
    .values({
      ...(position.id === undefined ? {} : { id: position.id }),
      strategy: position.strategy,
      account: position.account,
      con_id: position.conId,
      symbol: position.symbol,
      sec_type: position.secType,
      expiry: position.expiry,
      strike: position.strike,
      right: position.right,
      multiplier: position.multiplier ?? 100,
      quantity: position.quantity,
      entry_price: position.entryPrice,
      entry_order_ref: position.entryOrderRef ?? null,
      source: position.source,
      status: "open",
      opened_at: iso(position.openedAt),
      updated_at: iso(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function positionById(db: Db, id: number): Promise<PositionRow | undefined> {
  return db.selectFrom("positions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Open positions, oldest first; optionally of one strategy. */
export async function openPositions(db: Db, strategy?: string): Promise<PositionRow[]> {
  let query = db.selectFrom("positions").selectAll().where("status", "=", "open");
  if (strategy !== undefined) query = query.where("strategy", "=", strategy);
  return query.orderBy("id").execute();
}

/** The open position in this contract and account, if the bot tracks one. */
export async function openPositionByContract(
  db: Db,
  conId: number,
  account: string,
): Promise<PositionRow | undefined> {
  return db
    .selectFrom("positions")
    .selectAll()
    .where("status", "=", "open")
    .where("con_id", "=", conId)
    .where("account", "=", account)
    .orderBy("id")
    .executeTakeFirst();
}

export async function setPositionQuantity(db: Db, id: number, quantity: number, now: Date): Promise<void> {
  await db
    .updateTable("positions")
    .set({ quantity, updated_at: iso(now) })
    .where("id", "=", id)
    .execute();
}

export async function setEntryPrice(db: Db, id: number, entryPrice: number, now: Date): Promise<void> {
  await db
    .updateTable("positions")
    .set({ entry_price: entryPrice, updated_at: iso(now) })
    .where("id", "=", id)
    .execute();
}

/** Open short positions in a contract, oldest first. */
export async function openShortsOn(db: Db, conId: number): Promise<PositionRow[]> {
  return db
    .selectFrom("positions")
    .selectAll()
    .where("status", "=", "open")
    .where("con_id", "=", conId)
    .where("quantity", "<", 0)
    .orderBy("id")
    .execute();
}

export interface PositionClose {
  status: Exclude<PositionStatus, "open">;
  closePrice: number | null;
  reason: CloseReason;
  closedAt: Date;
}

/**
 * Closes an open position. Returns the closed row, or undefined when it was not open
 * (already closed by another path), so a replayed fill cannot close it twice.
 */
export async function closePosition(
  db: Db,
  id: number,
  close: PositionClose,
  now: Date,
): Promise<PositionRow | undefined> {
  return db
    .updateTable("positions")
    .set({
      status: close.status,
      close_price: close.closePrice,
      close_reason: close.reason,
      closed_at: iso(close.closedAt),
      updated_at: iso(now),
    })
    .where("id", "=", id)
    .where("status", "=", "open")
    .returningAll()
    .executeTakeFirst();
}

export async function countPositions(db: Db): Promise<number> {
  const row = await db
    .selectFrom("positions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
