import { type Db, iso } from "./db.js";
import type {
  OptionRight,
  OrderAction,
  OrderIntent,
  OrderRow,
  OrderState,
  OrderType,
  OrderUpdate,
} from "./schema.js";

/** States in which an order is (or is about to be) working at the broker. */
export const WORKING_ORDER_STATES: readonly OrderState[] = ["journaled", "transmitted", "acknowledged"];

export class DuplicateOrderRefError extends Error {
  constructor(readonly orderRef: string) {
    super(`An order with orderRef "${orderRef}" is already in the journal; it was not sent again.`);
    this.name = "DuplicateOrderRefError";
  }
}

export interface NewOrder {
  orderRef: string;
  intent: OrderIntent;
  positionId?: number | null;
  strategy?: string | null;
  tradingDay?: string | null;
  conId: number;
  symbol: string;
  secType: string;
  expiry: string;
  strike: number;
  right: OptionRight;
  action: OrderAction;
  orderType: OrderType;
  /** Positive; `action` gives the direction. */
  quantity: number;
  limitPrice?: number | null;
  auxPrice?: number | null;
  tif: string;
  ocaGroup?: string | null;
  /** IB's triggerMethod for a stop; null or absent for IB's default. */
  triggerMethod?: number | null;
  clientId?: number | null;
  /** An entry whose limit the strategy steps down its price ladder. */
  reprice?: boolean;
}

/**
 * Writes an order to the journal (state "journaled") before it is transmitted.
 * Throws DuplicateOrderRefError when the orderRef is taken: the idempotency guard.
 */
export async function journalOrder(db: Db, order: NewOrder, now: Date): Promise<OrderRow> {
  try {
    return await db
      .insertInto("orders")
      .values({
        order_ref: order.orderRef,
        intent: order.intent,
        position_id: order.positionId ?? null,
        strategy: order.strategy ?? null,
        trading_day: order.tradingDay ?? null,
        con_id: order.conId,
        symbol: order.symbol,
        sec_type: order.secType,
        expiry: order.expiry,
        strike: order.strike,
        right: order.right,
        action: order.action,
        order_type: order.orderType,
        quantity: order.quantity,
        limit_price: order.limitPrice ?? null,
        aux_price: order.auxPrice ?? null,
        tif: order.tif,
        oca_group: order.ocaGroup ?? null,
        trigger_method: order.triggerMethod ?? null,
        client_id: order.clientId ?? null,
        reprice: order.reprice ? 1 : 0,
        state: "journaled",
        created_at: iso(now),
        updated_at: iso(now),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err, "orders.order_ref")) throw new DuplicateOrderRefError(order.orderRef);
    throw err;
  }
}

function isUniqueViolation(err: unknown, column: string): boolean {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE" &&
    err.message.includes(column)
  );
}

export async function orderById(db: Db, id: number): Promise<OrderRow | undefined> {
  return db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function orderByRef(db: Db, orderRef: string): Promise<OrderRow | undefined> {
  return db.selectFrom("orders").selectAll().where("order_ref", "=", orderRef).executeTakeFirst();
}

/** IB order ids are only unique per client id; pass it when known. Newest first on ambiguity. */
export async function orderByBrokerId(
  db: Db,
  brokerOrderId: number,
  clientId?: number,
): Promise<OrderRow | undefined> {
  let query = db.selectFrom("orders").selectAll().where("broker_order_id", "=", brokerOrderId);
  if (clientId !== undefined) query = query.where("client_id", "=", clientId);
  return query.orderBy("id", "desc").executeTakeFirst();
}

export async function orderByPermId(db: Db, permId: number): Promise<OrderRow | undefined> {
  return db.selectFrom("orders").selectAll().where("perm_id", "=", permId).executeTakeFirst();
}

export interface OrderStateChange {
  state?: OrderState;
  brokerOrderId?: number | null;
  permId?: number | null;
  clientId?: number | null;
  filledQty?: number;
  avgFillPrice?: number | null;
  lastError?: string | null;
  limitPrice?: number | null;
  auxPrice?: number | null;
  quantity?: number;
  reprice?: boolean;
}

/** Applies the given fields (others untouched); returns the updated row. */
export async function updateOrderState(
  db: Db,
  id: number,
  change: OrderStateChange,
  now: Date,
): Promise<OrderRow | undefined> {
  const set: OrderUpdate = { updated_at: iso(now) };
  if (change.state !== undefined) set.state = change.state;
  if (change.brokerOrderId !== undefined) set.broker_order_id = change.brokerOrderId;
  if (change.permId !== undefined) set.perm_id = change.permId;
  if (change.clientId !== undefined) set.client_id = change.clientId;
  if (change.filledQty !== undefined) set.filled_qty = change.filledQty;
  if (change.avgFillPrice !== undefined) set.avg_fill_price = change.avgFillPrice;
  if (change.lastError !== undefined) set.last_error = change.lastError;
  if (change.limitPrice !== undefined) set.limit_price = change.limitPrice;
  if (change.auxPrice !== undefined) set.aux_price = change.auxPrice;
  if (change.quantity !== undefined) set.quantity = change.quantity;
  if (change.reprice !== undefined) set.reprice = change.reprice ? 1 : 0;
  return db.updateTable("orders").set(set).where("id", "=", id).returningAll().executeTakeFirst();
}

/** The position's TP and SL orders that are working (or journaled, about to be). */
export async function liveExitOrders(db: Db, positionId: number): Promise<OrderRow[]> {
  return db
    .selectFrom("orders")
    .selectAll()
    .where("position_id", "=", positionId)
    .where("intent", "in", ["tp", "sl"])
    .where("state", "in", WORKING_ORDER_STATES)
    .orderBy("id")
    .execute();
}

/** Our TP and SL orders on a contract that are at the broker or on their way (any position), oldest first. */
export async function sentExitOrdersOn(db: Db, conId: number): Promise<OrderRow[]> {
  return db
    .selectFrom("orders")
    .selectAll()
    .where("con_id", "=", conId)
    .where("intent", "in", ["tp", "sl"])
    .where("action", "=", "BUY")
    .where("state", "in", ["transmitted", "acknowledged"])
    .orderBy("id")
    .execute();
}

export async function ordersInState(db: Db, states: readonly OrderState[]): Promise<OrderRow[]> {
  if (states.length === 0) return [];
  return db.selectFrom("orders").selectAll().where("state", "in", states).orderBy("id").execute();
}

/** A strategy's entry orders (every attempt) of one trading day, oldest first. */
export async function entryOrdersForDay(db: Db, strategy: string, tradingDay: string): Promise<OrderRow[]> {
  return db
    .selectFrom("orders")
    .selectAll()
    .where("intent", "=", "entry")
    .where("strategy", "=", strategy)
    .where("trading_day", "=", tradingDay)
    .orderBy("id")
    .execute();
}

export async function ordersForPosition(db: Db, positionId: number): Promise<OrderRow[]> {
  return db.selectFrom("orders").selectAll().where("position_id", "=", positionId).orderBy("id").execute();
}

/** The highest broker order id the journal has used: new ids must stay above it after a restart. */
export async function maxBrokerOrderId(db: Db): Promise<number> {
  const row = await db
    .selectFrom("orders")
    .select((eb) => eb.fn.max("broker_order_id").as("max"))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export async function linkOrderToPosition(db: Db, orderId: number, positionId: number): Promise<void> {
  await db.updateTable("orders").set({ position_id: positionId }).where("id", "=", orderId).execute();
}
