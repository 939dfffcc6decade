import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { type Db, type OrderRow, orders, positions } from "../../store/index.js";
import type { BrokerExecution, BrokerOrder } from "../broker.js";
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
    const [open, execs] = await Promise.all([session.openOrders(), session.executions()]);
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
      } else if (row.state === "journaled" && this.stillWanted(row)) {
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
    report.exitsAttached = await this.attachUnstartedExits();
    return report;
  }

  private stillWanted(row: OrderRow): boolean {
    return row.intent !== "entry" || row.trading_day === this.deps.today();
  }

  private async replay(execs: BrokerExecution[]): Promise<number> {
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
  private async attachUnstartedExits(): Promise<number[]> {
    const { db } = this.deps;
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
      try {
        await this.deps.exits.attach(p.id, "recovery");
        done.push(p.id);
      } catch (err) {
        this.deps.logger.error({ err, positionId: p.id }, "could not attach owed exits");
      }
    }
    return done;
  }
}
