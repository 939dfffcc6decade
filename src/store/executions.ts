import { type Db, iso } from "./db.js";
import type { ExecutionRow, ExecutionSide } from "./schema.js";

export interface NewExecution {
  execId: string;
  orderRef?: string | null;
  /** Our journal's orders.id, when matched. */
  orderId?: number | null;
  brokerOrderId: number;
  permId: number;
  conId: number;
  side: ExecutionSide;
  shares: number;
  price: number;
  executedAt: Date;
  commission?: number | null;
  realizedPnl?: number | null;
  positionId?: number | null;
  receivedAt: Date;
}

/**
 * Records an execution once. Returns true when it is new, false when this execId was already
 * recorded (IB replays executions after a reconnect): the caller applies it only on true.
 */
export async function recordExecution(db: Db, execution: NewExecution): Promise<boolean> {
  const result = await db
    .insertInto("executions")
    .values({
      exec_id: execution.execId,
      exec_key: execKey(execution.execId),
      order_ref: execution.orderRef ?? null,
      order_id: execution.orderId ?? null,
      broker_order_id: execution.brokerOrderId,
      perm_id: execution.permId,
      con_id: execution.conId,
      side: execution.side,
      shares: execution.shares,
      price: execution.price,
      executed_at: iso(execution.executedAt),
      commission: execution.commission ?? null,
      realized_pnl: execution.realizedPnl ?? null,
      position_id: execution.positionId ?? null,
      received_at: iso(execution.receivedAt),
    })
    .onConflict((oc) => oc.column("exec_id").doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** IB's execId up to its last period: an execution and its corrections share it. */
export function execKey(execId: string): string {
  const cut = execId.lastIndexOf(".");
  return cut > 0 ? execId.slice(0, cut) : execId;
}

/** The version suffix after the last period, as a number (01 -> 1); 0 when there is none. */
export function execVersion(execId: string): number {
  const cut = execId.lastIndexOf(".");
  const n = cut > 0 ? Number.parseInt(execId.slice(cut + 1), 16) : 0;
  return Number.isFinite(n) ? n : 0;
}

/** The recorded version of an execution (any suffix). */
export async function executionByKey(db: Db, execId: string): Promise<ExecutionRow | undefined> {
  return db.selectFrom("executions").selectAll().where("exec_key", "=", execKey(execId)).executeTakeFirst();
}

/** A correction replaces the recorded version: its execId, size, price and time; its commission is reported anew. */
export async function replaceExecution(
  db: Db,
  oldExecId: string,
  next: { execId: string; shares: number; price: number; executedAt: Date },
): Promise<void> {
  await db
    .updateTable("executions")
    .set({
      exec_id: next.execId,
      shares: next.shares,
      price: next.price,
      executed_at: iso(next.executedAt),
      commission: null,
      realized_pnl: null,
    })
    .where("exec_id", "=", oldExecId)
    .execute();
}

/** A position's executions, in execution order. */
export async function executionsForPosition(db: Db, positionId: number): Promise<ExecutionRow[]> {
  return db
    .selectFrom("executions")
    .selectAll()
    .where("position_id", "=", positionId)
    .orderBy("executed_at")
    .orderBy("exec_id")
    .execute();
}

export async function executionById(db: Db, execId: string): Promise<ExecutionRow | undefined> {
  return db.selectFrom("executions").selectAll().where("exec_id", "=", execId).executeTakeFirst();
}

/** Executions at or after `since`, in execution order. */
export async function executionsSince(db: Db, since: Date): Promise<ExecutionRow[]> {
  return db
    .selectFrom("executions")
    .selectAll()
    .where("executed_at", ">=", iso(since))
    .orderBy("executed_at")
    .orderBy("exec_id")
    .execute();
}

export async function executionsForOrder(db: Db, orderId: number): Promise<ExecutionRow[]> {
  return db
    .selectFrom("executions")
    .selectAll()
    .where("order_id", "=", orderId)
    .orderBy("executed_at")
    .execute();
}

/** Commission reports arrive separately from the execution, keyed by execId. Returns false if unknown. */
export async function setExecutionCommission(
  db: Db,
  execId: string,
  commission: number,
  realizedPnl: number | null,
): Promise<boolean> {
  const result = await db
    .updateTable("executions")
    .set({ commission, realized_pnl: realizedPnl })
    .where("exec_id", "=", execId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Links an execution to its journal order and position once they are known. */
export async function linkExecution(
  db: Db,
  execId: string,
  link: { orderId?: number | null; positionId?: number | null },
): Promise<void> {
  const set: { order_id?: number | null; position_id?: number | null } = {};
  if (link.orderId !== undefined) set.order_id = link.orderId;
  if (link.positionId !== undefined) set.position_id = link.positionId;
  if (Object.keys(set).length === 0) return;
  await db.updateTable("executions").set(set).where("exec_id", "=", execId).execute();
}

/** Commissions reported so far on a position's executions (undefined when none is known). */
export async function commissionForPosition(db: Db, positionId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom("executions")
    .select((eb) => eb.fn.sum<number>("commission").as("total"))
    .where("position_id", "=", positionId)
    .executeTakeFirst();
  return row?.total === null || row?.total === undefined ? undefined : Number(row.total);
}
