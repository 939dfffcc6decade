import type { Clock } from "../../clock.js";
import type { StopTrigger } from "../../config.js";
import type { Logger } from "../../log.js";
import { audit, type Db, type OrderRow, orders, type PositionRow, positions } from "../../store/index.js";
import type { AlertOutbox } from "../alert-outbox.js";
import { exitPrices } from "../domain/exit-prices.js";
import { exitOrderRefs, nextExitAttempt } from "../domain/order-refs.js";
import { contractLabel } from "./contract-label.js";
import type { OrderDesk } from "./order-desk.js";

export interface ExitSettings {
  tpPct: number;
  slPct: number;
  slOrder: "stp" | "stp-lmt";
  slTrigger: StopTrigger;
  slLimitPct: number;
}

/** IB's triggerMethod codes; "default" leaves IB's own (double bid/ask for US options). */
const TRIGGER_METHOD: Record<StopTrigger, number | null> = {
  default: null,
  "double-bid-ask": 1,
  last: 2,
  "double-last": 3,
  "bid-ask": 4,
  "mid-point": 8,
};

export interface AttachResult {
  position: PositionRow;
  tp: OrderRow;
  sl: OrderRow;
  ocaGroup: string;
}

/**
 * Puts a position's take-profit (BUY LMT) and stop-loss (BUY STP) at the broker, GTC, in one
 * OCA group, so that one filling cancels the other. Both are journaled (in one transaction)
 * before either is sent; a re-attach uses new refs and a new OCA group name.
 */
export class ExitOrders {
  constructor(
    private readonly deps: {
      db: Db;
      desk: OrderDesk;
      outbox: AlertOutbox;
      clock: Clock;
      logger: Logger;
      settings: ExitSettings;
    },
  ) {}

  async attach(positionId: number, actor: string): Promise<AttachResult> {
    const { db, clock, desk, outbox, settings } = this.deps;
    const now = clock.now();
    const { position, tp, sl, ocaGroup } = await db.transaction().execute(async (trx) => {
      const position = await positions.positionById(trx, positionId);
      if (position?.status !== "open") throw new Error(`position ${positionId} is not open`);
      if (position.quantity >= 0)
        throw new Error(`position ${positionId} is not short; exits only cover short options`);
      const working = await orders.liveExitOrders(trx, positionId);
      if (working.length > 0)
        throw new Error(
          `position ${positionId} already has working exits (${working.map((o) => o.order_ref).join(", ")}); nothing sent`,
        );
      const existing = await orders.ordersForPosition(trx, positionId);
      const attempt = nextExitAttempt(
        positionId,
        existing.flatMap((o) => [o.order_ref, o.oca_group]),
      );
      const refs = exitOrderRefs(positionId, attempt);
      const prices = exitPrices(position.entry_price, settings.tpPct, settings.slPct);
      const common = {
        positionId,
        strategy: position.strategy,
        conId: position.con_id,
        symbol: position.symbol,
        secType: position.sec_type,
        expiry: position.expiry,
        strike: position.strike,
        right: position.right,
        action: "BUY" as const,
        quantity: Math.abs(position.quantity),
        tif: "GTC",
        ocaGroup: refs.ocaGroup,
      };
      const tp = await orders.journalOrder(
        trx,
        { ...common, orderRef: refs.tp, intent: "tp", orderType: "LMT", limitPrice: prices.tp },
        now,
      );
      const stopLimit = Math.round(prices.sl * settings.slLimitPct) / 100;
      const sl = await orders.journalOrder(
        trx,
        {
          ...common,
          orderRef: refs.sl,
          intent: "sl",
          orderType: settings.slOrder === "stp-lmt" ? "STP LMT" : "STP",
          auxPrice: prices.sl,
          limitPrice: settings.slOrder === "stp-lmt" ? stopLimit : null,
          triggerMethod: TRIGGER_METHOD[settings.slTrigger],
        },
        now,
      );
      await audit.audit(
        trx,
        actor,
        "exits.journaled",
        { positionId, attempt, tp: prices.tp, sl: prices.sl },
        now,
      );
      return { position, tp, sl, ocaGroup: refs.ocaGroup };
    });
    let sentTp: OrderRow;
    let sentSl: OrderRow;
    try {
      sentTp = await desk.send(tp);
      sentSl = await desk.send(sl);
    } catch (err) {
      // A leg the desk refused (or could not send) leaves its sibling journaled: neither is owed now.
      for (const row of [tp, sl]) {
        const now = await orders.orderById(db, row.id);
        if (now?.state === "journaled")
          await orders.updateOrderState(
            db,
            row.id,
            { state: "cancelled", lastError: `not sent: ${errorText(err)}` },
            clock.now(),
          );
      }
      throw err;
    }
    // Only what IB acknowledged is announced: a rejected or Inactive leg is alerted on its own.
    if (sentTp.state === "acknowledged" && sentSl.state === "acknowledged") {
      await outbox.raise([
        {
          type: "exits-attached",
          positionId,
          contract: contractLabel(position),
          tp: tp.limit_price ?? 0,
          sl: sl.aux_price ?? 0,
          ocaGroup,
        },
      ]);
    }
    return { position, tp: sentTp, sl: sentSl, ocaGroup };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
