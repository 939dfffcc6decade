import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import {
  audit,
  type Db,
  executions,
  type OrderRow,
  orders,
  type PositionRow,
  positions,
  trades,
} from "../../store/index.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { Alert } from "../alerts.js";
import type { BrokerExecution } from "../broker.js";
import { zone } from "../domain/zoned-time.js";
import { contractLabel } from "./contract-label.js";

export type FillOutcome =
  | { applied: false; reason: "replayed" }
  | { applied: true; kind: "unmatched"; execId: string }
  | { applied: true; kind: "entry"; order: OrderRow; position: PositionRow; complete: boolean }
  | { applied: true; kind: "exit"; order: OrderRow; position: PositionRow | undefined; closed: boolean };

export interface FillDeps {
  db: Db;
  outbox: AlertOutbox;
  clock: Clock;
  logger: Logger;
  strategy: string;
}

/**
 * Applies each execution exactly once (its execId is the key): records it, matches it to its
 * journal order by orderRef, perm id or order id, opens or closes the position, records the
 * trade and raises the fill alert, all in one transaction.
 */
export class FillProcessor {
  constructor(private readonly deps: FillDeps) {}

  async apply(exec: BrokerExecution): Promise<FillOutcome> {
    const { db, outbox, clock } = this.deps;
    const now = clock.now();
    const outcome = await db.transaction().execute(async (trx): Promise<FillOutcome> => {
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
      if (!order) {
        await audit.audit(
          trx,
          "broker",
          "execution.unmatched",
          { execId: exec.execId, orderRef: exec.orderRef },
          now,
        );
        await outbox.add(trx, [fillAlert(exec, "unknown", null)]);
        return { applied: true, kind: "unmatched", execId: exec.execId };
      }
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
        {
          strategy: order.strategy ?? this.deps.strategy,
          account: exec.account,
          conId: order.con_id,
          symbol: order.symbol,
          secType: order.sec_type,
          expiry: order.expiry,
          strike: order.strike,
          right: order.right,
          quantity: signed,
          entryPrice: exec.price,
          entryOrderRef: order.order_ref,
          source: order.strategy ? "strategy" : "manual",
          openedAt: parseIbTime(exec.time) ?? now,
        },
        now,
      );
      await orders.linkOrderToPosition(trx, order.id, position.id);
    } else {
      await positions.setPositionQuantity(trx, position.id, position.quantity + signed, now);
      position = { ...position, quantity: position.quantity + signed };
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
    if (position?.status !== "open") {
      await this.deps.outbox.add(trx, [fillAlert(exec, order.intent, position?.id ?? null)]);
      return { applied: true, kind: "exit", order, position, closed: false };
    }
    await executions.linkExecution(trx, exec.execId, { positionId: position.id });
    const remaining = position.quantity + (exec.side === "BOT" ? exec.shares : -exec.shares);
    if (remaining !== 0) {
      await positions.setPositionQuantity(trx, position.id, remaining, now);
      await this.deps.outbox.add(trx, [fillAlert(exec, order.intent, position.id)]);
      return { applied: true, kind: "exit", order, position, closed: false };
    }
    const reason = order.intent === "tp" ? "tp" : order.intent === "sl" ? "sl" : "manual";
    const commission = (await executions.commissionForPosition(trx, position.id)) ?? 0;
    const closedAt = parseIbTime(exec.time) ?? now;
    await positions.closePosition(
      trx,
      position.id,
      { status: "closed", closePrice: exec.price, reason, closedAt },
      now,
    );
    const trade = await trades.recordTrade(trx, {
      positionId: position.id,
      quantity: position.quantity,
      entryPrice: position.entry_price,
      exitPrice: exec.price,
      multiplier: position.multiplier,
      commission,
      reason,
      openedAt: new Date(position.opened_at),
      closedAt,
    });
    await this.deps.outbox.add(trx, [
      { ...fillAlert(exec, order.intent, position.id), pnl: trade.pnl } as Alert,
    ]);
    return { applied: true, kind: "exit", order, position, closed: true };
  }

  /** IB reports commissions separately, after the execution. */
  async applyCommission(execId: string, commission: number, realizedPnl?: number): Promise<void> {
    await executions.setExecutionCommission(this.deps.db, execId, commission, realizedPnl ?? null);
  }
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
): Alert {
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

/** IB's execution time: "20260204 09:42:00 US/Eastern", "20260204-14:42:00" or "20260204 14:42:00" (UTC). */
export function parseIbTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})[ -](\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, tz] = m;
  const seconds = Number(s) * 1000;
  if (!tz || tz === "UTC" || tz === "GMT") {
    return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) + seconds);
  }
  try {
    return new Date(zone(tz).instantOf(`${y}-${mo}-${d}`, Number(h), Number(mi)).getTime() + seconds);
  } catch {
    return undefined;
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
