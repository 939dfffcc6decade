import { SecType } from "@stoqey/ib";
import type { Clock, TimerHandle } from "../../clock.js";
import type { Logger } from "../../log.js";
import {
  audit,
  type Db,
  type OrderRow,
  orders,
  type PositionRow,
  positions,
  settings,
  trades,
} from "../../store/index.js";
import type { CloseReason } from "../../store/schema.js";
import type { AlertOutbox } from "../alert-outbox.js";
import type { Alert } from "../alerts.js";
import type { BrokerPosition, CompletedOrder } from "../broker.js";
import { dayNumber } from "../domain/calendar-days.js";
import { zone } from "../domain/zoned-time.js";
import type { ConnectionSupervisor } from "../ib/connection-supervisor.js";
import type { IbSession } from "../ib/ib-session.js";
import { contractLabel } from "./contract-label.js";
import type { ExitOrders } from "./exits.js";
import { EXITS_FOLLOW_SHORT, type FillProcessor } from "./fills.js";
import type { OrderDesk } from "./order-desk.js";

/** What the journal last saw of the account's shares, per underlying: an assignment is a change of 100 x contracts. */
const SHARES_SEEN = "broker.shares-seen";

export interface ExitsFollowShortDeps {
  db: Db;
  supervisor: ConnectionSupervisor;
  desk: OrderDesk;
  exits: ExitOrders;
  fills: FillProcessor;
  outbox: AlertOutbox;
  clock: Clock;
  logger: Logger;
  timezone: string;
  /** How long a short that shrank waits for the executions that explain it before the journal is settled. */
  settleGraceMs?: number;
  /** After a settle closed positions: what depends on them may look again (approvals). */
  settled?: () => Promise<void>;
}

/**
 * Keeps our exits within the broker's short, at once, on every path: when the short on a contract
 * falls below the working quantity of our TP or SL on it (a manual close in TWS, early assignment,
 * a fill while we were away), the surplus is cancelled or reduced; when the journal's short is more
 * than the broker's, the journal is settled from what explains it (executions, completed orders, a
 * share change, the expiry) and the trader is told in one message. When the short grows (an entry
 * fill, a partly filled entry), the position's exits are attached or enlarged to match.
 */
export class ExitsFollowShort {
  private settleTimers = new Map<number, TimerHandle>();
  private settling: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ExitsFollowShortDeps) {}

  /** Resolves when the settles started so far are done. */
  idle(): Promise<void> {
    return this.settling;
  }

  stop(): void {
    for (const t of this.settleTimers.values()) this.deps.clock.clearTimeout(t);
    this.settleTimers.clear();
  }

  /** Brings our exits on one contract in line with the broker's short now; schedules a settle when the journal holds more. */
  async follow(conId: number): Promise<void> {
    const session = this.deps.supervisor.activeSession;
    const held = session?.heldQuantity(conId);
    if (!session || held === undefined) return;
    const short = Math.max(0, -held);
    await this.trim(conId, short);
    const journal = await this.journalShorts(session, conId);
    const journalShort = journal.reduce((t, p) => t - p.quantity, 0);
    if (journalShort > short) {
      this.scheduleSettle(conId);
      return;
    }
    for (const p of journal) await this.topUp(p);
  }

  /** Cancels (newest first) or reduces our working exits of each kind down to the broker's short. */
  private async trim(conId: number, short: number): Promise<void> {
    const { db, desk, clock, logger } = this.deps;
    const clientId = this.deps.supervisor.current.clientId;
    // Another client's orders (an adopted position's exits placed in TWS) are not ours to cancel.
    const sent = (await orders.sentExitOrdersOn(db, conId)).filter(
      (o) => o.client_id === null || o.client_id === clientId,
    );
    for (const kind of ["tp", "sl"] as const) {
      const rows = sent.filter((o) => o.intent === kind);
      let surplus = rows.reduce((t, o) => t + working(o), 0) - short;
      for (const row of rows.reverse()) {
        if (surplus <= 0) break;
        const left = working(row);
        try {
          if (left <= surplus) {
            await desk.cancelAndClose(row, `${EXITS_FOLLOW_SHORT} the broker's short fell to ${short}`);
            surplus -= left;
          } else {
            await desk.modifyQuantity(row, row.quantity - surplus);
            surplus = 0;
          }
          await audit.audit(db, "exits", "exits.trimmed", { orderRef: row.order_ref, short }, clock.now());
        } catch (err) {
          logger.error({ err, orderRef: row.order_ref }, "could not bring an exit within the broker's short");
        }
      }
    }
  }

  /**
   * A position the bot entered gets the exits it is owed: attached when it has none (an entry that
   * filled, or whose exits recovery had to abandon), enlarged when the entry filled further.
   */
  private async topUp(p: PositionRow): Promise<void> {
    if (!p.entry_order_ref) return;
    const { db, desk, exits, logger } = this.deps;
    const rows = (await orders.ordersForPosition(db, p.id)).filter(
      (o) => o.intent === "tp" || o.intent === "sl",
    );
    const live = rows.filter((o) => o.state === "transmitted" || o.state === "acknowledged");
    const wanted = -p.quantity;
    try {
      if (live.length === 0) {
        const owed =
          rows.length === 0 ||
          rows.every((o) => o.state === "cancelled" && o.last_error?.includes("reconnected"));
        if (owed) await exits.attach(p.id, "lifecycle");
        return;
      }
      for (const row of live)
        if (working(row) < wanted) await desk.modifyQuantity(row, row.filled_qty + wanted);
    } catch (err) {
      logger.error({ err, positionId: p.id }, "could not give a position the exits it is owed");
    }
  }

  private scheduleSettle(conId: number): void {
    if (this.settleTimers.has(conId)) return;
    const timer = this.deps.clock.setTimeout(() => {
      this.settleTimers.delete(conId);
      this.settling = this.settling.then(() =>
        this.settle(conId).then(
          async (closed) => {
            if (closed.length > 0) await this.deps.settled?.();
          },
          (err: unknown) =>
            this.deps.logger.error({ err, conId }, "could not settle a short the broker no longer holds"),
        ),
      );
    }, this.deps.settleGraceMs ?? 5_000);
    this.settleTimers.set(conId, timer);
  }

  /**
   * The journal holds more of a contract short than the broker. In order: today's executions in it
   * (ours the stream missed, or a BUY from TWS), IB's completed orders (our exit filled while we were
   * away), a share change of 100 x contracts (assigned), the expiry passed with our exits still
   * working (expired). Whatever none of these explains is closed as "outcome unknown", with no P&L.
   * Returns the positions it closed.
   */
  async settle(conId: number): Promise<number[]> {
    const session = this.deps.supervisor.activeSession;
    if (!session) return [];
    const brokerShort = async () =>
      Math.max(0, -(session.heldQuantity(conId) ?? sum(await session.positions(), conId)));
    const short = await brokerShort();
    let journal = await this.journalShorts(session, conId);
    if (journal.reduce((t, p) => t - p.quantity, 0) <= short) return [];
    const before = new Set(journal.map((p) => p.id));

    const [execs, completed, held] = await Promise.allSettled([
      session.executions({ secType: SecType.OPT, symbol: journal[0]?.symbol ?? "" }),
      session.completedOrders(),
      session.positions(),
    ]);
    if (execs.status === "fulfilled") {
      for (const e of execs.value
        .filter((x) => x.contract.conId === conId)
        .sort((a, b) => a.time.localeCompare(b.time)))
        await this.deps.fills.apply(e);
    }
    journal = await this.journalShorts(session, conId);
    let missing = journal.reduce((t, p) => t - p.quantity, 0) - short;
    const closed = [...before].filter((id) => !journal.some((p) => p.id === id));
    if (missing <= 0) return closed;

    const filledExits = completed.status === "fulfilled" ? ourFilledExits(completed.value, conId) : [];
    const heldNow = held.status === "fulfilled" ? held.value : undefined;
    const sharesDelta = heldNow ? await this.shareChange(journal[0]?.symbol ?? "", heldNow) : undefined;
    const today = zone(this.deps.timezone).wallTime(this.deps.clock.now()).day;
    // Newest first: an older position is the one more likely to be what the broker still holds.
    for (const p of [...journal].reverse()) {
      if (missing <= 0) break;
      const k = Math.min(missing, -p.quantity);
      missing -= k;
      const outcome = await this.outcomeOf(p, k, filledExits, sharesDelta, today);
      await this.book(p, k, outcome);
      closed.push(p.id);
    }
    if (heldNow) await this.rememberShares(heldNow);
    return closed;
  }

  private async outcomeOf(
    p: PositionRow,
    k: number,
    filledExits: CompletedOrder[],
    sharesDelta: number | undefined,
    today: string,
  ): Promise<Outcome> {
    const exit = filledExits.find(
      (o) => o.orderRef.startsWith(`tw:tp:${p.id}`) || o.orderRef.startsWith(`tw:sl:${p.id}`),
    );
    if (exit) {
      const reason: CloseReason = exit.orderRef.startsWith("tw:tp:") ? "tp" : "sl";
      const what = reason === "tp" ? "take-profit" : "stop-loss";
      return {
        reason,
        status: "closed",
        text: `Its ${what} (${exit.orderRef}) filled while the bot could not see it (IB's completed orders${exit.completedTime ? `, ${exit.completedTime}` : ""}). The price is not among today's executions, so no P&L is booked: read it in TWS or the statement.`,
      };
    }
    const perContract = p.multiplier * (p.right === "P" ? 1 : -1);
    if (sharesDelta !== undefined && sharesDelta === perContract * k) {
      return {
        reason: "assigned",
        status: "assigned",
        text: `It was assigned: the account ${sharesDelta > 0 ? "bought" : "sold"} ${Math.abs(sharesDelta)} ${p.symbol} shares at ${p.strike} (${p.multiplier} per contract). Sell them, write a covered call, or keep them; the bot does not manage shares.`,
      };
    }
    const expiry = dayNumber(p.expiry);
    const todayNum = dayNumber(today);
    const exitsWorking =
      (await orders.liveExitOrders(this.deps.db, p.id)).length > 0 || filledExits.length === 0;
    if (expiry !== undefined && todayNum !== undefined && expiry < todayNum && exitsWorking) {
      return {
        reason: "expired",
        status: "expired",
        closePrice: 0,
        text: `Expired worthless: the whole credit of ${p.entry_price.toFixed(2)} kept. Its GTC exits are gone with it.`,
      };
    }
    return {
      reason: "external",
      status: "closed",
      text: "It left the account and the bot cannot tell how (no execution today, no filled exit, no share change, not expired). No P&L is booked: check TWS or the statement, and tell the journal nothing; it keeps the position closed without P&L.",
    };
  }

  /** Closes (or reduces) the journal's position by `k` with its outcome, and tells the trader once. */
  private async book(p: PositionRow, k: number, outcome: Outcome): Promise<void> {
    const { db, outbox, clock } = this.deps;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      let pnl: number | null = null;
      if (outcome.closePrice !== undefined) {
        const trade = await trades.recordTrade(trx, {
          positionId: p.id,
          quantity: -k,
          entryPrice: p.entry_price,
          exitPrice: outcome.closePrice,
          multiplier: p.multiplier,
          commission: 0,
          reason: outcome.reason,
          openedAt: new Date(p.opened_at),
          closedAt: now,
        });
        pnl = trade.pnl;
      }
      const whole = k >= -p.quantity;
      if (whole)
        await positions.closePosition(
          trx,
          p.id,
          {
            status: outcome.status,
            closePrice: outcome.closePrice ?? null,
            reason: outcome.reason,
            closedAt: now,
          },
          now,
        );
      else await positions.setPositionQuantity(trx, p.id, p.quantity + k, now);
      const cancelled = (await orders.ordersForPosition(trx, p.id)).filter((o) =>
        o.last_error?.startsWith(EXITS_FOLLOW_SHORT),
      );
      const exits =
        cancelled.length > 0
          ? ` The bot cancelled its exits (${cancelled.map((o) => o.order_ref).join(", ")}).`
          : "";
      const size = whole ? "" : ` (${k} of ${-p.quantity} contracts; the rest stays open)`;
      const alert: Alert =
        outcome.reason === "assigned"
          ? {
              type: "assigned",
              contract: contractLabel(p),
              shares: p.multiplier * k,
              text: `Position ${p.id} (${contractLabel(p)})${size}: ${outcome.text}${exits}`,
            }
          : {
              type: "position-closed",
              positionId: p.id,
              contract: contractLabel(p),
              reason: outcome.reason,
              pnl,
              text: `${outcome.text}${size}${exits}`,
            };
      await audit.audit(trx, "exits", `position.${outcome.reason}`, { positionId: p.id, contracts: k }, now);
      await outbox.add(trx, [alert]);
    });
    outbox.committed();
  }

  /** The change in the account's shares of `symbol` since the journal last looked; undefined when it never did. */
  private async shareChange(symbol: string, held: BrokerPosition[]): Promise<number | undefined> {
    const seen = await settings.getSetting<Record<string, number> | null>(this.deps.db, SHARES_SEEN, null);
    if (!seen) return undefined;
    return sharesOf(held, symbol) - (seen[symbol] ?? 0);
  }

  /** Called whenever the broker's positions were read in full, so the next assignment is a change against them. */
  async rememberShares(held: BrokerPosition[]): Promise<void> {
    const seen: Record<string, number> = {};
    for (const p of held)
      if (p.contract.secType === "STK") seen[p.contract.symbol] = (seen[p.contract.symbol] ?? 0) + p.quantity;
    await settings.setSetting(this.deps.db, SHARES_SEEN, seen, this.deps.clock.now());
  }

  private async journalShorts(session: IbSession, conId: number): Promise<PositionRow[]> {
    const account = session.account;
    return (await positions.openShortsOn(this.deps.db, conId)).filter(
      (p) => !account || !p.account || p.account === account,
    );
  }
}

interface Outcome {
  reason: CloseReason;
  status: "closed" | "expired" | "assigned";
  /** A close price the outcome proves (0 for an expiry); none when unknown: then no trade is booked. */
  closePrice?: number;
  text: string;
}

function working(o: OrderRow): number {
  return Math.max(0, o.quantity - o.filled_qty);
}

function sum(held: BrokerPosition[], conId: number): number {
  return held.filter((p) => p.contract.conId === conId).reduce((t, p) => t + p.quantity, 0);
}

function sharesOf(held: BrokerPosition[], symbol: string): number {
  return held
    .filter((p) => p.contract.secType === "STK" && p.contract.symbol === symbol)
    .reduce((t, p) => t + p.quantity, 0);
}

function ourFilledExits(completed: CompletedOrder[], conId: number): CompletedOrder[] {
  return completed.filter(
    (o) =>
      o.contract.conId === conId &&
      o.action === "BUY" &&
      /^tw:(tp|sl):/.test(o.orderRef) &&
      (o.status === "Filled" || o.filled > 0),
  );
}
