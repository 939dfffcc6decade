import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { execVersion } from "../../store/executions.js";
import {
  audit,
  type CloseReason,
  type Db,
  type ExecutionRow,
  executions,
  type OrderRow,
  orders,
  type PositionRow,
  positions,
  type TradeRow,
  trades,
} from "../../store/index.js";
import type { NewPosition } from "../../store/positions.js";
import { tradePnl } from "../../store/trades.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { Alert } from "../alerts.js";
import type { BrokerExecution } from "../broker.js";
import { zone } from "../domain/zoned-time.js";
import { contractLabel } from "./contract-label.js";

export type FillOutcome =
  | { applied: false; reason: "replayed" }
  | { applied: true; kind: "unmatched"; execId: string; conId: number }
  | { applied: true; kind: "entry"; order: OrderRow; position: PositionRow; complete: boolean }
  | { applied: true; kind: "exit"; order: OrderRow; position: PositionRow | undefined; closed: boolean }
  | { applied: true; kind: "correction"; execId: string; conId: number }
  /** A BUY from outside the bot (TWS, another client) that closed or reduced journal shorts. */
  | { applied: true; kind: "outside-close"; execId: string; conId: number; positionIds: number[] };

export interface FillDeps {
  db: Db;
  outbox: AlertOutbox;
  clock: Clock;
  logger: Logger;
  strategy: string;
}

/**
 * Applies each execution exactly once (keyed by its execId up to the last period: a correction
 * replaces the version it corrects): records it, matches it to its journal order by orderRef, perm
 * id or order id, opens or closes the position, records the trade and raises the fill alert, all in
 * one transaction. A BUY nobody in the journal placed closes the journal's short in that contract
 * as a manual close.
 */
export class FillProcessor {
  constructor(private readonly deps: FillDeps) {}

  async apply(exec: BrokerExecution): Promise<FillOutcome> {
    const { db, outbox, clock } = this.deps;
    const now = clock.now();
    const outcome = await db.transaction().execute(async (trx): Promise<FillOutcome> => {
      const recorded = await executions.executionByKey(trx, exec.execId);
      if (recorded) {
        if (execVersion(exec.execId) <= execVersion(recorded.exec_id))
          return { applied: false, reason: "replayed" };
        return this.applyCorrection(trx, recorded, exec, now);
      }
      const order = await matchOrder(trx, exec);
      const fresh = await executions.recordExecution(trx, {
        execId: exec.execId,
        orderRef: exec.orderRef || null,
        orderId: order?.id ?? null,
        brokerOrderId: exec.orderId,
        permId: exec.permId,
        conId: exec.contract.conId,
        side: exec.side,
        shares: exec.shares,
        price: exec.price,
        executedAt: parseIbTime(exec.time) ?? now,
        commission: exec.commission ?? null,
        realizedPnl: exec.realizedPnl ?? null,
        receivedAt: now,
      });
      if (!fresh) return { applied: false, reason: "replayed" };
      if (!order) return this.applyOutside(trx, exec, now);
      if (order.intent === "entry" && order.filled_qty + exec.shares > order.quantity)
        return this.explainSeenEntry(trx, order, exec, now);
      const filledQty = order.filled_qty + exec.shares;
      const avg = ((order.avg_fill_price ?? 0) * order.filled_qty + exec.price * exec.shares) / filledQty;
      const complete = filledQty >= order.quantity;
      const updated =
        (await orders.updateOrderState(
          trx,
          order.id,
          { filledQty, avgFillPrice: round4(avg), state: complete ? "filled" : order.state },
          now,
        )) ?? order;
      if (order.intent === "entry") return this.applyEntry(trx, updated, exec, complete, now);
      return this.applyExit(trx, updated, exec, now);
    });
    outbox.committed();
    return outcome;
  }

  private async applyEntry(
    trx: Db,
    order: OrderRow,
    exec: BrokerExecution,
    complete: boolean,
    now: Date,
  ): Promise<FillOutcome> {
    const signed = exec.side === "SLD" ? -exec.shares : exec.shares;
    let position = order.position_id ? await positions.positionById(trx, order.position_id) : undefined;
    if (!position) {
      position = await positions.insertPosition(
        trx,
        this.openedBy(order, exec.account, signed, exec.price, parseIbTime(exec.time) ?? now),
        now,
      );
      await orders.linkOrderToPosition(trx, order.id, position.id);
    } else {
      const quantity = position.quantity + signed;
      const entryPrice = round4(order.avg_fill_price ?? exec.price);
      await positions.setPositionQuantity(trx, position.id, quantity, now);
      await positions.setEntryPrice(trx, position.id, entryPrice, now);
      position = { ...position, quantity, entry_price: entryPrice };
    }
    await executions.linkExecution(trx, exec.execId, { positionId: position.id });
    await this.deps.outbox.add(trx, [fillAlert(exec, "entry", position.id)]);
    return {
      applied: true,
      kind: "entry",
      order: { ...order, position_id: position.id },
      position,
      complete,
    };
  }

  private async applyExit(trx: Db, order: OrderRow, exec: BrokerExecution, now: Date): Promise<FillOutcome> {
    const position = order.position_id ? await positions.positionById(trx, order.position_id) : undefined;
    if (position?.status !== "open" || exec.side !== "BOT") {
      await this.deps.outbox.add(trx, [fillAlert(exec, order.intent, position?.id ?? null)]);
      return { applied: true, kind: "exit", order, position, closed: false };
    }
    await executions.linkExecution(trx, exec.execId, { positionId: position.id });
    const reason: CloseReason = order.intent === "tp" ? "tp" : order.intent === "sl" ? "sl" : "manual";
    const { trade, closed } = await this.closeShort(trx, position, exec, exec.shares, reason, now);
    await this.deps.outbox.add(trx, [{ ...fillAlert(exec, order.intent, position.id), pnl: trade.pnl }]);
    return { applied: true, kind: "exit", order, position, closed };
  }

  /**
   * An execution no journal order explains. A BUY in a contract the journal holds short closes
   * those positions (oldest first) as manual closes, with the P&L its price gives; anything else
   * is recorded and shown as it is.
   */
  private async applyOutside(trx: Db, exec: BrokerExecution, now: Date): Promise<FillOutcome> {
    const conId = exec.contract.conId;
    const shorts =
      exec.side === "BOT"
        ? (await positions.openShortsOn(trx, conId)).filter(
            (p) => !p.account || !exec.account || p.account === exec.account,
          )
        : [];
    if (shorts.length === 0) {
      await audit.audit(
        trx,
        "broker",
        "execution.unmatched",
        { execId: exec.execId, orderRef: exec.orderRef },
        now,
      );
      await this.deps.outbox.add(trx, [fillAlert(exec, "unknown", null)]);
      return { applied: true, kind: "unmatched", execId: exec.execId, conId };
    }
    let left = exec.shares;
    const closedIds: number[] = [];
    const alerts: Alert[] = [];
    for (const position of shorts) {
      if (left <= 0) break;
      const k = Math.min(left, -position.quantity);
      left -= k;
      const { trade, closed } = await this.closeShort(trx, position, exec, k, "manual", now);
      if (left === 0 || closed) await executions.linkExecution(trx, exec.execId, { positionId: position.id });
      closedIds.push(position.id);
      const cancelled = (await orders.ordersForPosition(trx, position.id)).filter((o) =>
        o.last_error?.startsWith(EXITS_FOLLOW_SHORT),
      );
      const exits =
        cancelled.length > 0
          ? ` Its exits (${cancelled.map((o) => o.order_ref).join(", ")}) were cancelled.`
          : "";
      const rest = closed
        ? ""
        : ` ${-position.quantity - k} contract(s) stay open with their exits reduced to match.`;
      alerts.push({
        type: "position-closed",
        positionId: position.id,
        contract: contractLabel(position),
        reason: "manual",
        pnl: trade.pnl,
        text: `${closed ? "Closed outside the bot" : "Reduced outside the bot"} (a BUY of ${k} at ${exec.price.toFixed(2)} placed in TWS or by another client${exec.orderRef ? `, ref ${exec.orderRef}` : ""}): P&L ${signedMoney(trade.pnl)}.${exits}${rest}`,
      });
    }
    await audit.audit(
      trx,
      "broker",
      "position.closed-outside",
      { execId: exec.execId, positionIds: closedIds },
      now,
    );
    await this.deps.outbox.add(trx, alerts);
    return { applied: true, kind: "outside-close", execId: exec.execId, conId, positionIds: closedIds };
  }

  /** Books `k` contracts of a short bought back by `exec`: a trade for them, and the position reduced or closed. */
  private async closeShort(
    trx: Db,
    position: PositionRow,
    exec: BrokerExecution,
    k: number,
    reason: CloseReason,
    now: Date,
  ): Promise<{ trade: TradeRow; closed: boolean }> {
    const closedAt = parseIbTime(exec.time) ?? now;
    const commission = await tradeCommission(trx, position.id, exec.commission ?? 0, k);
    const trade = await trades.recordTrade(trx, {
      positionId: position.id,
      quantity: -k,
      entryPrice: position.entry_price,
      exitPrice: exec.price,
      multiplier: position.multiplier,
      commission,
      reason,
      openedAt: new Date(position.opened_at),
      closedAt,
      execId: exec.execId,
    });
    const remaining = position.quantity + k;
    if (remaining < 0) {
      await positions.setPositionQuantity(trx, position.id, remaining, now);
      return { trade, closed: false };
    }
    await positions.closePosition(
      trx,
      position.id,
      { status: "closed", closePrice: exec.price, reason, closedAt },
      now,
    );
    return { trade, closed: true };
  }

  /**
   * IB corrected an execution (same execId up to the last period, a newer suffix): the correction
   * replaces it. The order's fill, the position's entry price or size, and the trade it closed follow.
   */
  private async applyCorrection(
    trx: Db,
    recorded: ExecutionRow,
    exec: BrokerExecution,
    now: Date,
  ): Promise<FillOutcome> {
    await executions.replaceExecution(trx, recorded.exec_id, {
      execId: exec.execId,
      shares: exec.shares,
      price: exec.price,
      executedAt: parseIbTime(exec.time) ?? new Date(recorded.executed_at),
    });
    if (exec.commission !== undefined)
      await executions.setExecutionCommission(trx, exec.execId, exec.commission, exec.realizedPnl ?? null);
    const order = recorded.order_id ? await orders.orderById(trx, recorded.order_id) : undefined;
    if (order) {
      const fills = await executions.executionsForOrder(trx, order.id);
      const filledQty = fills.reduce((t, e) => t + e.shares, 0);
      const avg = filledQty > 0 ? fills.reduce((t, e) => t + e.price * e.shares, 0) / filledQty : null;
      await orders.updateOrderState(
        trx,
        order.id,
        { filledQty, avgFillPrice: avg === null ? null : round4(avg) },
        now,
      );
    }
    const position = recorded.position_id
      ? await positions.positionById(trx, recorded.position_id)
      : undefined;
    if (position && recorded.side === "SLD") {
      const opening = (await executions.executionsForPosition(trx, position.id)).filter(
        (e) => e.side === "SLD",
      );
      const shares = opening.reduce((t, e) => t + e.shares, 0);
      if (shares > 0) {
        const entryPrice = round4(opening.reduce((t, e) => t + e.price * e.shares, 0) / shares);
        await positions.setEntryPrice(trx, position.id, entryPrice, now);
      }
      if (position.status === "open" && exec.shares !== recorded.shares)
        await positions.setPositionQuantity(
          trx,
          position.id,
          position.quantity - (exec.shares - recorded.shares),
          now,
        );
    }
    await this.refreshTrade(trx, recorded.exec_id, exec.execId);
    await audit.audit(
      trx,
      "broker",
      "execution.corrected",
      {
        from: recorded.exec_id,
        to: exec.execId,
        price: [recorded.price, exec.price],
        shares: [recorded.shares, exec.shares],
      },
      now,
    );
    await this.deps.outbox.add(trx, [
      {
        type: "fill-corrected",
        contract: fillAlert(exec, "unknown", null).contract,
        orderRef: exec.orderRef,
        execId: exec.execId,
        positionId: position?.id ?? null,
        side: exec.side,
        quantity: exec.shares,
        previousQuantity: recorded.shares,
        price: exec.price,
        previousPrice: recorded.price,
      },
    ]);
    return { applied: true, kind: "correction", execId: exec.execId, conId: exec.contract.conId };
  }

  /** The position an entry order opens. */
  private openedBy(
    order: OrderRow,
    account: string,
    quantity: number,
    price: number,
    openedAt: Date,
  ): NewPosition {
    return {
      strategy: order.strategy ?? this.deps.strategy,
      account,
      conId: order.con_id,
      symbol: order.symbol,
      secType: order.sec_type,
      expiry: order.expiry,
      strike: order.strike,
      right: order.right,
      quantity,
      entryPrice: price,
      entryOrderRef: order.order_ref,
      source: order.strategy ? "strategy" : "manual",
      openedAt,
    };
  }

  /**
   * An entry fill learned without its execution (executions were not to be had at a restart):
   * journaled from the broker's average cost, with its fill alert, so that its exits follow.
   */
  async bookUnseenEntry(order: OrderRow, price: number, account: string, now: Date): Promise<void> {
    const { db, outbox } = this.deps;
    await db.transaction().execute(async (trx) => {
      const position = await positions.insertPosition(
        trx,
        this.openedBy(order, account, -order.quantity, price, now),
        now,
      );
      await orders.linkOrderToPosition(trx, order.id, position.id);
      await orders.updateOrderState(
        trx,
        order.id,
        { state: "filled", filledQty: order.quantity, avgFillPrice: price },
        now,
      );
      await audit.audit(trx, "recovery", "entry.filled-unseen", { orderRef: order.order_ref, price }, now);
      await outbox.add(trx, [
        {
          type: "fill",
          intent: "entry",
          contract: contractLabel(order),
          side: "SLD",
          quantity: order.quantity,
          price,
          positionId: position.id,
          orderRef: order.order_ref,
          note: "filled while the bot was away; price from the broker's average cost (commission included) until its execution is read",
        },
      ]);
    });
    outbox.committed();
  }

  /** The execution of an entry fill already journaled without it: it only puts the prices right. */
  private async explainSeenEntry(
    trx: Db,
    order: OrderRow,
    exec: BrokerExecution,
    now: Date,
  ): Promise<FillOutcome> {
    await executions.linkExecution(trx, exec.execId, { orderId: order.id, positionId: order.position_id });
    const fills = await executions.executionsForOrder(trx, order.id);
    const shares = fills.reduce((t, e) => t + e.shares, 0);
    const avg = round4(fills.reduce((t, e) => t + e.price * e.shares, 0) / shares);
    await orders.updateOrderState(trx, order.id, { avgFillPrice: avg }, now);
    if (order.position_id && shares >= order.quantity)
      await positions.setEntryPrice(trx, order.position_id, avg, now);
    await audit.audit(
      trx,
      "broker",
      "entry.price-from-execution",
      { orderRef: order.order_ref, price: avg },
      now,
    );
    return { applied: true, kind: "correction", execId: exec.execId, conId: exec.contract.conId };
  }

  /** IB reports commissions separately, after the execution; a trade that execution closed takes it in. */
  async applyCommission(execId: string, commission: number, realizedPnl?: number): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      if (await executions.setExecutionCommission(trx, execId, commission, realizedPnl ?? null))
        await this.refreshTrade(trx, execId, execId);
    });
  }

  /** Recomputes the trade closed by `oldExecId` from the execution now recorded as `execId`. */
  private async refreshTrade(trx: Db, oldExecId: string, execId: string): Promise<void> {
    const trade = await trades.tradeByExecution(trx, oldExecId);
    const exec = await executions.executionById(trx, execId);
    if (!trade || !exec) return;
    const k = -trade.quantity;
    const position = await positions.positionById(trx, trade.position_id);
    const commission = await tradeCommission(trx, trade.position_id, exec.commission ?? 0, k);
    const pnl = tradePnl({
      quantity: trade.quantity,
      entryPrice: position?.entry_price ?? trade.entry_price,
      exitPrice: exec.price,
      multiplier: position?.multiplier ?? 100,
      commission,
    });
    await trades.updateTrade(trx, trade.id, { exitPrice: exec.price, commission, pnl, execId });
  }
}

/** Marks exits the bot cancelled because the broker's short shrank (see ExitsFollowShort). */
export const EXITS_FOLLOW_SHORT = "exits follow the short:";

/**
 * A trade's commission: its closing execution's, plus its share of the commissions paid to open the
 * position (pro rata over the contracts opened).
 */
async function tradeCommission(trx: Db, positionId: number, closing: number, k: number): Promise<number> {
  const opening = (await executions.executionsForPosition(trx, positionId)).filter((e) => e.side === "SLD");
  const shares = opening.reduce((t, e) => t + e.shares, 0);
  const paid = opening.reduce((t, e) => t + (e.commission ?? 0), 0);
  const share = shares > 0 ? (paid * Math.min(k, shares)) / shares : 0;
  return Math.round((closing + share) * 100) / 100;
}

async function matchOrder(db: Db, exec: BrokerExecution): Promise<OrderRow | undefined> {
  if (exec.orderRef) {
    const byRef = await orders.orderByRef(db, exec.orderRef);
    if (byRef) return byRef;
  }
  if (exec.permId) {
    const byPerm = await orders.orderByPermId(db, exec.permId);
    if (byPerm) return byPerm;
  }
  return exec.orderId ? orders.orderByBrokerId(db, exec.orderId, exec.clientId || undefined) : undefined;
}

function fillAlert(
  exec: BrokerExecution,
  intent: OrderRow["intent"] | "unknown",
  positionId: number | null,
): Extract<Alert, { type: "fill" }> {
  const c = exec.contract;
  return {
    type: "fill",
    intent,
    contract: contractLabel({
      symbol: c.symbol,
      strike: c.strike ?? 0,
      right: c.right ?? "",
      expiry: c.expiry ?? "",
    }),
    side: exec.side,
    quantity: exec.shares,
    price: exec.price,
    positionId,
    orderRef: exec.orderRef,
  };
}

function signedMoney(dollars: number): string {
  return `${dollars < 0 ? "-" : "+"}$${Math.abs(dollars).toFixed(2)}`;
}

/**
 * IB's execution time, in the shapes gateways send: "20260204 09:42:00 US/Eastern" (with a zone
 * name), "20260204  09:42:00" (legacy: two spaces, no zone: the gateway's zone, US/Eastern for
 * US-listed options), "20260204-14:42:00" (UTC). Undefined when it is none of these.
 */
export function parseIbTime(text: string, localZone = "America/New_York"): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(-| +)(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, sep, h, mi, s, tz] = m;
  const seconds = Number(s) * 1000;
  const name = tz ?? (sep === "-" ? "UTC" : localZone);
  if (name === "UTC" || name === "GMT") {
    return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) + seconds);
  }
  try {
    return new Date(zone(name).instantOf(`${y}-${mo}-${d}`, Number(h), Number(mi)).getTime() + seconds);
  } catch {
    return undefined;
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
