import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { type Db, type OrderRow, orders, positions } from "../../store/index.js";
import type { BrokerExecution, BrokerOrder, BrokerPosition } from "../broker.js";
import type { OrderIds } from "../ib/ib-order-entry.js";
import type { IbSession } from "../ib/ib-session.js";
import type { ExitsFollowShort } from "./exits-follow-short.js";
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
      follow: ExitsFollowShort;
      lifecycle: TradeLifecycle;
      ids: OrderIds;
      clock: Clock;
      logger: Logger;
      /** YYYY-MM-DD today in the exchange's zone: a journaled entry of another day is never sent. */
      today: () => string;
    },
  ) {}

  async run(session: IbSession): Promise<RecoveryReport> {
    const { db, clock, logger } = this.deps;
    // Each part is asked on its own: one the gateway does not answer (reqExecutions stalls on some
    // builds) leaves the others usable, and recovery goes on with what it has.
    const [openAsked, execsAsked, heldAsked] = await Promise.allSettled([
      session.openOrders(),
      session.executions({ clientId: String(session.clientId) }),
      session.positions(),
    ]);
    const unanswered = [
      openAsked.status === "rejected" ? "open orders" : "",
      execsAsked.status === "rejected" ? "executions" : "",
      heldAsked.status === "rejected" ? "positions" : "",
    ].filter(Boolean);
    if (unanswered.length > 0)
      logger.warn({ unanswered }, "recovery goes on without what the gateway did not give");
    const open = openAsked.status === "fulfilled" ? openAsked.value : null;
    const execs = execsAsked.status === "fulfilled" ? execsAsked.value : [];
    const held = heldAsked.status === "fulfilled" ? heldAsked.value : null;
    for (const o of open ?? []) if (o.clientId === session.clientId) this.deps.ids.observe(o.orderId);
    for (const e of execs) this.deps.ids.observe(e.orderId);
    const byRef = new Map<string, BrokerOrder>(
      (open ?? []).filter((o) => o.orderRef).map((o) => [o.orderRef, o]),
    );
    const executedRefs = new Set(execs.map((e) => e.orderRef).filter(Boolean));
    const report: RecoveryReport = { matched: [], sent: [], abandoned: [], replayed: 0, exitsAttached: [] };

    const unfinished = await orders.ordersInState(db, [
      "journaled",
      "transmitted",
      "acknowledged",
      "unknown",
    ]);
    for (const row of unfinished) {
      // Without the open orders nothing can be told apart: leave the journal as it is for the next connect.
      if (open === null) break;
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
      } else if (execsAsked.status === "rejected" && (await this.filledWhileAway(row, held))) {
        report.matched.push(row.order_ref);
      } else if (execsAsked.status === "rejected" && row.intent !== "entry" && row.state !== "journaled") {
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
    report.exitsAttached = held ? await this.followHeld(held) : [];
    return report;
  }

  /**
   * Every contract the journal holds open or the broker holds: exits follow the broker's short
   * (owed exits attached, surplus trimmed, a short gone settled). Reports positions that got exits.
   */
  private async followHeld(held: BrokerPosition[]): Promise<number[]> {
    const { db } = this.deps;
    const open = await positions.openPositions(db);
    const conIds = new Set([
      ...open.map((p) => p.con_id),
      ...held.filter((b) => b.contract.secType === "OPT").map((b) => b.contract.conId),
    ]);
    const before = new Set(
      (await orders.ordersInState(db, ["transmitted", "acknowledged"])).map((o) => o.position_id),
    );
    for (const conId of conIds) await this.deps.follow.follow(conId);
    const after = await orders.ordersInState(db, ["transmitted", "acknowledged"]);
    return [
      ...new Set(
        after
          .filter((o) => o.position_id !== null && !before.has(o.position_id))
          .map((o) => o.position_id as number),
      ),
    ];
  }

  /**
   * An entry sent before, no longer working, while today's executions are not to be had: when the
   * broker holds that contract short beyond what the journal explains, it filled while the bot was
   * away. The position is journaled from the broker's average cost (commission included) until the
   * execution itself turns up and puts the price right; its exits follow from the short.
   */
  private async filledWhileAway(row: OrderRow, held: BrokerPosition[] | null): Promise<boolean> {
    if (row.intent !== "entry" || row.action !== "SELL" || row.state === "journaled" || !held) return false;
    const { db, clock } = this.deps;
    const broker = held.filter((b) => b.contract.conId === row.con_id);
    const brokerShort = -broker.reduce((t, b) => t + b.quantity, 0);
    const journalShort = -(await positions.openShortsOn(db, row.con_id)).reduce((t, p) => t + p.quantity, 0);
    if (brokerShort - journalShort < row.quantity) return false;
    const multiplier = broker[0]?.contract.multiplier ?? 100;
    const price = Math.round(((broker[0]?.avgCost ?? 0) / multiplier) * 10_000) / 10_000;
    await this.deps.fills.bookUnseenEntry(row, price, broker[0]?.account ?? "", clock.now());
    return true;
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
}

/** The broker holds at least this short position (same contract, short by as much or more). */
function holdsShort(held: BrokerPosition[] | null, p: { con_id: number; quantity: number }): boolean {
  return (
    held?.some((b) => b.contract.conId === p.con_id && b.quantity <= p.quantity && b.quantity < 0) ?? false
  );
}
