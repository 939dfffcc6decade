import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { audit, type Db, type OrderRow, orders } from "../../store/index.js";
import type { NewOrder } from "../../store/orders.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { BrokerEvent, BrokerOrder, BrokerPosition, OrderStatusUpdate } from "../broker.js";
import type { ConnectionSupervisor } from "../ib/connection-supervisor.js";
import { BrokerRequestError } from "../ib/ib-market-data.js";
import { cancelOrder, type OrderIds, type OrderTicket, transmitOrder } from "../ib/ib-order-entry.js";
import type { IbSession } from "../ib/ib-session.js";
import { contractLabel } from "./contract-label.js";

/**
 * The order went out but the gateway never answered (hung, or the socket died): IB may or may
 * not have it. The journal row stays "transmitted"; the next connect's recovery finds out.
 */
export class AckTimeoutError extends Error {
  constructor(
    readonly orderRef: string,
    ms: number,
  ) {
    super(`the gateway did not acknowledge ${orderRef} within ${ms / 1000}s`);
    this.name = "AckTimeoutError";
  }
}

export class NotConnectedError extends Error {
  constructor(what: string) {
    super(`not connected to the gateway: ${what} stays journaled and is sent after the reconnect`);
  }
}

/**
 * The desk would not send this order: no account to trade, or a BUY exit larger than the broker's
 * short on the contract (it would open a long). The journal row is closed with the same words.
 */
export class OrderRefusedError extends Error {
  constructor(
    readonly orderRef: string,
    readonly reason: string,
  ) {
    super(`${orderRef} not sent: ${reason}`);
    this.name = "OrderRefusedError";
  }
}

export interface OrderDeskDeps {
  db: Db;
  supervisor: ConnectionSupervisor;
  outbox: AlertOutbox;
  ids: OrderIds;
  clock: Clock;
  logger: Logger;
  /** How long to wait for the gateway to acknowledge an order. */
  ackTimeoutMs?: number;
}

const BROKER_STATE: Record<string, OrderRow["state"] | undefined> = {
  Filled: "filled",
  Cancelled: "cancelled",
  ApiCancelled: "cancelled",
  Inactive: "inactive",
  Submitted: "acknowledged",
  PreSubmitted: "acknowledged",
};

/**
 * The only way an order reaches the broker: written to the journal first (its orderRef is
 * the idempotency key), then transmitted, then acknowledged; broker status updates flow
 * back into the same journal row.
 */
export class OrderDesk {
  /** Every limit this process sent per journal row: a late echo of one of them is not a trader's edit. */
  private sentLimits = new Map<number, Set<number>>();

  constructor(private readonly deps: OrderDeskDeps) {}

  /** Journals then transmits. A duplicate orderRef throws before anything is sent. */
  async submit(order: NewOrder): Promise<OrderRow> {
    const row = await orders.journalOrder(this.deps.db, order, this.deps.clock.now());
    return this.send(row);
  }

  /** Transmits a journaled row: assigns (and records) its broker id first, then sends. */
  async send(row: OrderRow): Promise<OrderRow> {
    const { db, clock, supervisor } = this.deps;
    const session = supervisor.activeSession;
    if (!session || supervisor.current.state === "disconnected") throw new NotConnectedError(row.order_ref);
    await this.checkSendable(session, row, row.quantity - row.filled_qty);
    const orderId = this.deps.ids.next(session);
    await orders.updateOrderState(
      db,
      row.id,
      { state: "transmitted", brokerOrderId: orderId, clientId: supervisor.current.clientId },
      clock.now(),
    );
    return this.transmit(session, { ...row, broker_order_id: orderId }, orderId);
  }

  /** Re-prices a working limit order in place (same order id, same orderRef). */
  async modifyLimit(row: OrderRow, limitPrice: number): Promise<OrderRow> {
    const session = this.deps.supervisor.activeSession;
    if (!session || !row.broker_order_id) throw new NotConnectedError(row.order_ref);
    await this.checkSendable(session, row, row.quantity - row.filled_qty);
    await orders.updateOrderState(this.deps.db, row.id, { limitPrice }, this.deps.clock.now());
    return this.transmit(session, { ...row, limit_price: limitPrice }, row.broker_order_id);
  }

  /** Changes a working order's total quantity in place (exits following the short). */
  async modifyQuantity(row: OrderRow, quantity: number): Promise<OrderRow> {
    const session = this.deps.supervisor.activeSession;
    if (!session || !row.broker_order_id) throw new NotConnectedError(row.order_ref);
    await this.checkSendable(session, row, quantity - row.filled_qty);
    await orders.updateOrderState(this.deps.db, row.id, { quantity }, this.deps.clock.now());
    return this.transmit(session, { ...row, quantity }, row.broker_order_id);
  }

  /**
   * The one check before anything reaches the broker: an account to trade, and for a BUY exit, a
   * short at the broker at least as large as this order plus our other working exits of its kind on
   * that contract. Refused orders are closed in the journal with the reason.
   */
  private async checkSendable(session: IbSession, row: OrderRow, working: number): Promise<void> {
    let reason: string | undefined;
    if (!session.account) reason = session.accountProblem ?? "no account to trade";
    else if (isBuyExit(row)) reason = await this.exceedsShort(session, row, working);
    if (reason === undefined) return;
    const { db, clock } = this.deps;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      if (row.state === "journaled")
        await orders.updateOrderState(
          trx,
          row.id,
          { state: "cancelled", lastError: `not sent: ${reason}` },
          now,
        );
      await audit.audit(trx, "orders", "order.refused", { orderRef: row.order_ref, reason }, now);
    });
    throw new OrderRefusedError(row.order_ref, reason);
  }

  private async exceedsShort(
    session: IbSession,
    row: OrderRow,
    working: number,
  ): Promise<string | undefined> {
    const held = session.heldQuantity(row.con_id) ?? sumOn(await session.positions(), row.con_id);
    const short = Math.max(0, -held);
    const others = (await orders.sentExitOrdersOn(this.deps.db, row.con_id))
      .filter((o) => o.intent === row.intent && o.id !== row.id)
      .reduce((total, o) => total + Math.max(0, o.quantity - o.filled_qty), 0);
    if (others + working <= short) return undefined;
    const holds = short === 0 ? "no short position" : `a short of only ${short}`;
    const covered =
      others > 0 ? ` and our working ${row.intent.toUpperCase()} orders already cover ${others}` : "";
    return `the broker holds ${holds} in ${contractLabel(row)}${covered}; a BUY of ${working} would open a long position`;
  }

  /** Cancels at the broker and closes the journal row at once, so that nothing counts it as working any more. */
  async cancelAndClose(row: OrderRow, why: string): Promise<void> {
    this.cancel(row);
    await orders.updateOrderState(
      this.deps.db,
      row.id,
      { state: "cancelled", lastError: why },
      this.deps.clock.now(),
    );
  }

  cancel(row: OrderRow): boolean {
    const session = this.deps.supervisor.activeSession;
    if (!session || !row.broker_order_id) return false;
    cancelOrder(session, row.broker_order_id);
    return true;
  }

  private async transmit(session: IbSession, row: OrderRow, orderId: number): Promise<OrderRow> {
    const { db, clock, outbox } = this.deps;
    if (row.limit_price !== null) {
      const sent = this.sentLimits.get(row.id) ?? new Set<number>();
      sent.add(row.limit_price);
      this.sentLimits.set(row.id, sent);
    }
    const ticket = ticketFor(row, session.account ?? undefined);
    try {
      const ack = await this.withTimeout(transmitOrder(session, orderId, ticket), row.order_ref);
      const state = BROKER_STATE[ack.status] ?? "acknowledged";
      // Inactive: IB took the order but will not work it (permissions, a bad route, the account).
      if (state === "inactive")
        throw new BrokerRequestError(0, "IB holds the order Inactive: it is not working at the exchange");
      return (
        (await orders.updateOrderState(
          db,
          row.id,
          { state, permId: ack.permId || undefined },
          clock.now(),
        )) ?? row
      );
    } catch (err) {
      if (!(err instanceof BrokerRequestError)) throw err;
      const now = clock.now();
      const updated = await db.transaction().execute(async (trx) => {
        const r = await orders.updateOrderState(
          trx,
          row.id,
          { state: err.code === 0 ? "inactive" : "rejected", lastError: err.message },
          now,
        );
        await audit.audit(
          trx,
          "broker",
          "order.rejected",
          { orderRef: row.order_ref, code: err.code, reason: err.message },
          now,
        );
        await outbox.add(trx, [
          {
            type: "order-rejected",
            orderRef: row.order_ref,
            contract: contractLabel(row),
            code: err.code,
            reason: err.message,
          },
        ]);
        return r;
      });
      outbox.committed();
      return updated ?? row;
    }
  }

  private withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
    const { clock } = this.deps;
    const ms = this.deps.ackTimeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimeout(() => reject(new AckTimeoutError(what, ms)), ms);
      p.then(
        (v) => {
          clock.clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          clock.clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  /** Keeps journal states in step with the broker's order status stream. */
  async onBrokerEvent(e: BrokerEvent): Promise<void> {
    if (e.type === "order-status") await this.applyStatus(e.update);
    else if (e.type === "open-order") await this.applyOpenOrder(e.order);
  }

  /**
   * A trader changed our working entry's limit in TWS: the journal takes the broker's price and the
   * strategy stops stepping it (its ladder would otherwise overwrite the trader's price).
   */
  async applyOpenOrder(o: BrokerOrder): Promise<void> {
    const { db, clock, logger } = this.deps;
    if (o.limitPrice === undefined || !Number.isFinite(o.limitPrice)) return;
    const row =
      (o.permId ? await orders.orderByPermId(db, o.permId) : undefined) ??
      (await orders.orderByBrokerId(db, o.orderId, o.clientId || undefined));
    if (row?.intent !== "entry" || row.state !== "acknowledged" || row.limit_price === null) return;
    // Snapshots (reqAllOpenOrders) and echoes can trail our own re-pricing: a price we sent is ours.
    const ours = [row.limit_price, ...(this.sentLimits.get(row.id) ?? [])];
    if (ours.some((price) => Math.abs(o.limitPrice! - price) < 0.005)) return;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await orders.updateOrderState(trx, row.id, { limitPrice: o.limitPrice, reprice: false }, now);
      await audit.audit(
        trx,
        "broker",
        "entry.limit-changed-outside",
        { orderRef: row.order_ref, from: row.limit_price, to: o.limitPrice },
        now,
      );
    });
    logger.info(
      { orderRef: row.order_ref, limit: o.limitPrice },
      "the entry's limit was changed outside the bot; its ladder stops",
    );
  }

  async applyStatus(u: OrderStatusUpdate): Promise<OrderRow | undefined> {
    const { db, clock } = this.deps;
    const row =
      (u.permId ? await orders.orderByPermId(db, u.permId) : undefined) ??
      (await orders.orderByBrokerId(db, u.orderId, u.clientId || undefined));
    if (!row) return undefined;
    const state = BROKER_STATE[u.status];
    if (!state || state === row.state || row.state === "filled") return row;
    // Fills are applied from executions (exactly once); a status alone never closes a position.
    if (state === "filled") return row;
    return orders.updateOrderState(db, row.id, { state, permId: u.permId || undefined }, clock.now());
  }
}

function isBuyExit(row: OrderRow): boolean {
  return row.action === "BUY" && (row.intent === "tp" || row.intent === "sl" || row.intent === "close");
}

function sumOn(positions: BrokerPosition[], conId: number): number {
  return positions.filter((p) => p.contract.conId === conId).reduce((total, p) => total + p.quantity, 0);
}

export function ticketFor(row: OrderRow, account?: string): OrderTicket {
  return {
    orderRef: row.order_ref,
    contract: {
      conId: row.con_id,
      symbol: row.symbol,
      secType: row.sec_type,
      expiry: row.expiry,
      strike: row.strike,
      right: row.right,
      multiplier: 100,
      exchange: "SMART",
      currency: "USD",
    },
    action: row.action,
    orderType: row.order_type,
    quantity: row.quantity,
    limitPrice: row.limit_price ?? undefined,
    auxPrice: row.aux_price ?? undefined,
    tif: row.tif === "GTC" ? "GTC" : "DAY",
    ocaGroup: row.oca_group ?? undefined,
    // Reduce the others by what filled (not cancel them): a partly filled TP leaves the rest covered by the SL.
    ocaType: row.oca_group ? 2 : undefined,
    triggerMethod: row.trigger_method ?? undefined,
    account,
  };
}
