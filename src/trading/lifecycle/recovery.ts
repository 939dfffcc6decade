import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { type Db, type OrderRow, orders, positions } from "../../store/index.js";
import type { BrokerExecution, BrokerOrder, BrokerPosition } from "../broker.js";
import type { OrderIds } from "../ib/ib-order-entry.js";
import type { IbSession } from "../ib/ib-session.js";
import type { ExitOrders } from "./exits.js";
import type { FillProcessor } from "./fills.js";
import type { OrderDesk } from "./order-desk.js";
import type { TradeLifecycle } from "./trade-lifecycle.js";

export interface RecoveryReport {
  matched: string[];
  sent: string[];
  abandoned: string[];
  replayed: number;
  exitsAttached: number[];
}

/**
 * Runs on every connect, before anything new is sent: matches the journal's unfinished orders
 * with the broker's open orders and today's executions by orderRef, sends what was journaled
 * but never sent, applies executions missed while away (once), and attaches the exits of
 * entries that filled while the bot was down.
 */
export class Recovery {
  constructor(
    private readonly deps: {
      db: Db;
      desk: OrderDesk;
      fills: FillProcessor;
      exits: ExitOrders;
      lifecycle: TradeLifecycle;
      ids: OrderIds;
      clock: Clock;
      logger: Logger;
      /** YYYY-MM-DD today in the exchange's zone: a journaled entry of another day is never sent. */
      today: () => string;
    },
  ) {}

  async run(session: IbSession): Promise<RecoveryReport> {
    const { db, clock } = this.deps;
    const [open, execs, held] = await Promise.all([
      session.openOrders(),
      session.executions(),
      this.heldPositions(session),
    ]);
    for (const o of open) this.deps.ids.observe(o.orderId);
    for (const e of execs) this.deps.ids.observe(e.orderId);
    const byRef = new Map<string, BrokerOrder>(open.filter((o) => o.orderRef).map((o) => [o.orderRef, o]));
    const executedRefs = new Set(execs.map((e) => e.orderRef).filter(Boolean));
    const report: RecoveryReport = { matched: [], sent: [], abandoned: [], replayed: 0, exitsAttached: [] };

    const unfinished = await orders.ordersInState(db, [
      "journaled",
      "transmitted",
      "acknowledged",
      "unknown",
    ]);
    for (const row of unfinished) {
      const atBroker = byRef.get(row.order_ref);
      if (atBroker) {
        await orders.updateOrderState(
          db,
          row.id,
          {
            state: "acknowledged",
            brokerOrderId: atBroker.orderId,
            permId: atBroker.permId || undefined,
            clientId: atBroker.clientId,
          },
          clock.now(),
        );
        report.matched.push(row.order_ref);
      } else if (executedRefs.has(row.order_ref)) {
        report.matched.push(row.order_ref);
      } else if (
        (row.state === "journaled" && this.stillWanted(row)) ||
        (await this.lostExitLeg(row, held))
      ) {
        await this.deps.desk.send(row);
        report.sent.push(row.order_ref);
      } else {
        // Sent before, yet neither working nor executed: cancelled or expired at the broker.
        await orders.updateOrderState(
          db,
          row.id,
          { state: "cancelled", lastError: "not at the broker when the bot reconnected" },
          clock.now(),
        );
        report.abandoned.push(row.order_ref);
      }
    }

    report.replayed = await this.replay(execs);
    report.exitsAttached = await this.attachUnstartedExits(held);
    return report;
  }

  /** The broker's positions, or null when it does not give them: exits are then not sent unasked. */
  private async heldPositions(session: IbSession): Promise<BrokerPosition[] | null> {
    try {
      return await session.positions();
    } catch (err) {
      this.deps.logger.warn(
        { err: err instanceof Error ? err.message : err },
        "positions unavailable; exits still owed wait for the next connect",
      );
      return null;
    }
  }

  private stillWanted(row: OrderRow): boolean {
    return row.intent !== "entry" || row.trading_day === this.deps.today();
  }

  /**
   * An exit written to a socket that died before the broker acknowledged it: neither working nor
   * executed, so it never arrived. The position still needs it (its other leg may be working in
   * the same OCA group), so it is sent again, under the same orderRef and a new order id.
   */
  private async lostExitLeg(row: OrderRow, held: BrokerPosition[] | null): Promise<boolean> {
    if (row.state !== "transmitted" || (row.intent !== "tp" && row.intent !== "sl")) return false;
    if (row.position_id === null) return false;
    const position = await positions.positionById(this.deps.db, row.position_id);
    return position?.status === "open" && holdsShort(held, position);
  }

  /** Applies executions in time order; those already in the journal are skipped. */
  async replay(execs: BrokerExecution[]): Promise<number> {
    let applied = 0;
    const sorted = [...execs].sort((a, b) => a.time.localeCompare(b.time));
    for (const e of sorted) {
      const outcome = await this.deps.fills.apply(e);
      if (outcome.applied) applied++;
      await this.deps.lifecycle.afterFill(outcome);
    }
    return applied;
  }

  /**
   * Positions this bot opened whose exits were never journaled (the process stopped between the
   * entry's fill and the exits), or whose only exits were abandoned: their exits are still owed.
   */
  private async attachUnstartedExits(held: BrokerPosition[] | null): Promise<number[]> {
    const { db, logger } = this.deps;
    const done: number[] = [];
    for (const p of await positions.openPositions(db)) {
      if (p.source !== "strategy" || p.quantity >= 0) continue;
      const rows = (await orders.ordersForPosition(db, p.id)).filter(
        (o) => o.intent === "tp" || o.intent === "sl",
      );
      const owed =
        rows.length === 0 ||
        rows.every((o) => o.state === "cancelled" && o.last_error?.includes("reconnected"));
      if (!owed) continue;
      if (!holdsShort(held, p)) {
        // A journal that disagrees with the account (an old backup, another account's file): a
        // BUY here would open a long position. The reconciler reports the difference instead.
        logger.warn(
          { positionId: p.id, conId: p.con_id },
          "exits owed, but the broker does not hold the position",
        );
        continue;
      }
      try {
        await this.deps.exits.attach(p.id, "recovery");
        done.push(p.id);
      } catch (err) {
        logger.error({ err, positionId: p.id }, "could not attach owed exits");
      }
    }
    return done;
  }
}

/** The broker holds at least this short position (same contract, short by as much or more). */
function holdsShort(held: BrokerPosition[] | null, p: { con_id: number; quantity: number }): boolean {
  return (
    held?.some((b) => b.contract.conId === p.con_id && b.quantity <= p.quantity && b.quantity < 0) ?? false
  );
}
