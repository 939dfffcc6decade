import { z } from "zod";
import type { Clock } from "../clock.js";
import { type Db, orders, type PositionRow, positions } from "../store/index.js";
import type { ApprovalRecord } from "./approvals/approval-record.js";
import type { ApprovalService } from "./approvals/approval-service.js";
import type { BrokerOrder, BrokerPosition } from "./broker.js";
import { coverExits } from "./domain/exit-coverage.js";
import { exitPrices } from "./domain/exit-prices.js";
import { exitKindOf, isLiveOrderStatus } from "./domain/live-orders.js";
import { missingExits } from "./domain/missing-exits.js";
import type { ReconcileFinding } from "./domain/reconcile-findings.js";
import { contractLabel } from "./lifecycle/contract-label.js";
import type { EntryOverrides, EntryPreview, EntryService } from "./lifecycle/entry-service.js";
import type { ExitOrders } from "./lifecycle/exits.js";
import type { FindingText } from "./lifecycle/finding-text.js";
import type { OrderDesk } from "./lifecycle/order-desk.js";
import type { EntryScheduler } from "./schedule/entry-scheduler.js";

const overridesSchema = z.object({
  strike: z.number().optional(),
  expiry: z.string().optional(),
  quantity: z.number().int().optional(),
  limit: z.number().optional(),
  ladder: z.boolean().optional(),
  confirm: z.boolean().optional(),
});
const entryPayload = z.object({ tradingDay: z.string(), overrides: overridesSchema, limit: z.number() });
const reattachPayload = z.object({ positionIds: z.array(z.number().int().positive()).min(1) });
const adoptPayload = z.object({
  account: z.string(),
  conId: z.number().int(),
  symbol: z.string(),
  expiry: z.string(),
  strike: z.number(),
  right: z.enum(["P", "C"]),
  multiplier: z.number(),
  quantity: z.number().int(),
  entryPrice: z.number(),
});

export interface TradeApprovalDeps {
  db: Db;
  clock: Clock;
  approvals: ApprovalService;
  entries: EntryService;
  exits: ExitOrders;
  desk: OrderDesk;
  scheduler: EntryScheduler;
  tpPct: number;
  slPct: number;
  /** The broker's open orders now, to see which exits a position already has. */
  brokerOrders: () => Promise<BrokerOrder[]>;
  /** What the broker state is known to be now (the event-fed cache), without asking; undefined when unknown. */
  known?: () => { orders?: BrokerOrder[]; positions?: BrokerPosition[] };
}

function plural(ids: readonly unknown[], word: string): string {
  return ids.length > 1 ? `${word}s` : word;
}

/** How far the limit may move between preview and click before the trader is asked again. */
export function priceTolerance(limit: number): number {
  return Math.max(0.05, Math.round(limit * 5) / 100);
}

/**
 * The trading decisions a person approves: a manual entry (re-quoted at the click), re-attaching
 * exits, adopting a position opened outside the bot. Requests describe exactly what will happen.
 */
export class TradeApprovals {
  constructor(private readonly deps: TradeApprovalDeps) {
    deps.approvals.registerEffect("entry", (a) => this.placeEntry(a));
    deps.approvals.registerEffect("reattach", (a) => this.reattach(a), {
      atRisk: (a) => this.stillUnprotected(reattachPayload.parse(a.payload).positionIds),
    });
    deps.approvals.registerEffect("adopt", (a) => this.adopt(a), {
      atRisk: async (a) => {
        const p = adoptPayload.parse(a.payload);
        return `${contractLabel(p)} stays at the broker unwatched by the bot, without exits from it.`;
      },
    });
  }

  requestEntry(
    preview: EntryPreview,
    overrides: EntryOverrides,
    requestedBy: string,
  ): Promise<ApprovalRecord> {
    return this.deps.approvals.request({
      kind: "entry",
      payload: { tradingDay: preview.tradingDay, overrides, limit: preview.limit },
      requestedBy,
      summary:
        `SELL ${preview.quantity} ${preview.label} (delta ${preview.delta?.toFixed(2) ?? "?"}${preview.deltaFrom === "model" ? " model" : ""}, ${preview.dte} days) at ${preview.limit.toFixed(2)}; TP ${preview.tp.toFixed(2)}, SL ${preview.sl.toFixed(2)}.` +
        `${preview.ladder ? "" : " Limit fixed (no ladder)."}${preview.market.known && !preview.market.open ? " Market closed: rests until the open." : ""}` +
        `${preview.needsConfirm.length > 0 ? ` CONFIRMED: ${preview.needsConfirm.join("; ")}.` : ""}${preview.data === "delayed" ? " Priced on DELAYED data." : ""}`,
    });
  }

  async requestReattach(positionIds: number[], requestedBy: string): Promise<ApprovalRecord> {
    const lines: string[] = [];
    for (const id of positionIds) {
      const p = await positions.positionById(this.deps.db, id);
      if (!p) throw new Error(`no position ${id}`);
      const x = exitPrices(p.entry_price, this.deps.tpPct, this.deps.slPct);
      lines.push(`${id} ${contractLabel(p)}: TP ${x.tp.toFixed(2)} / SL ${x.sl.toFixed(2)}`);
    }
    const approval = await this.deps.approvals.request({
      kind: "reattach",
      payload: { positionIds },
      requestedBy,
      summary: `Re-attach TP (BUY LMT) and SL (BUY STP), GTC, one OCA group: ${lines.join("; ")}.`,
    });
    // One question per position: an older re-attach for any of these positions is superseded.
    for (const old of await this.pendingOf("reattach", approval.id)) {
      const ids = reattachPayload.safeParse(old.payload);
      if (ids.success && ids.data.positionIds.some((id) => positionIds.includes(id)))
        await this.deps.approvals.withdraw(old.id, `superseded by approval ${approval.id}`);
    }
    return approval;
  }

  private async pendingOf(kind: ApprovalRecord["kind"], except: string): Promise<ApprovalRecord[]> {
    return (await this.deps.approvals.pendingRecords(kind)).filter((a) => a.id !== except);
  }

  /**
   * Closes the approvals whose premise no longer holds, at once: a re-attach whose positions are all
   * closed or all covered by a live TP and SL, an adopt whose position is adopted or gone. Reads only
   * what is known now (the event-fed cache); unknown is not taken for a change.
   */
  async withdrawStale(): Promise<number> {
    const { db, approvals } = this.deps;
    const known = this.deps.known?.() ?? {};
    let withdrawn = 0;
    for (const a of await this.pendingOf("reattach", "")) {
      const { positionIds } = reattachPayload.parse(a.payload);
      const rows = await Promise.all(positionIds.map((id) => positions.positionById(db, id)));
      const open = rows.filter((p): p is PositionRow => p?.status === "open");
      let reason: string | undefined;
      if (open.length === 0) reason = `${plural(positionIds, "position")} ${positionIds.join(", ")} closed`;
      else if (known.orders && missingExits({ storedPositions: open, openOrders: known.orders }).length === 0)
        reason = `${plural(
          open.map((p) => p.id),
          "position",
        )} ${open.map((p) => p.id).join(", ")} now ${open.length > 1 ? "have" : "has"} a live TP and SL`;
      if (reason && (await approvals.withdraw(a.id, reason))) withdrawn++;
    }
    for (const a of await this.pendingOf("adopt", "")) {
      const p = adoptPayload.parse(a.payload);
      const adopted = await positions.openPositionByContract(db, p.conId, p.account);
      const gone =
        known.positions !== undefined &&
        !known.positions.some((b) => b.contract.conId === p.conId && b.quantity !== 0);
      const reason = adopted
        ? `${contractLabel(p)} is already position ${adopted.id}`
        : gone
          ? `${contractLabel(p)} is no longer at the broker`
          : undefined;
      if (reason && (await approvals.withdraw(a.id, reason))) withdrawn++;
    }
    return withdrawn;
  }

  /** For an expiry post: which of these positions are still open without a live TP and SL. */
  private async stillUnprotected(positionIds: number[]): Promise<string | undefined> {
    const rows = await Promise.all(positionIds.map((id) => positions.positionById(this.deps.db, id)));
    const open = rows.filter((p): p is PositionRow => p?.status === "open");
    if (open.length === 0) return undefined;
    const orders = this.deps.known?.().orders;
    const label = (p: PositionRow) => `${p.id} (${contractLabel(p)})`;
    if (!orders)
      return `Position ${open.map(label).join(", ")} may still be without exits: the broker's orders are not known now.`;
    const lacking = new Set(
      missingExits({ storedPositions: open, openOrders: orders }).map((f) => f.positionId),
    );
    const still = open.filter((p) => lacking.has(p.id));
    if (still.length === 0) return undefined;
    return `Still at risk: position ${still.map(label).join(", ")} ${still.length > 1 ? "have" : "has"} no live TP and SL; /reattach when you want them.`;
  }

  async requestAdopt(p: BrokerPosition, requestedBy: string): Promise<ApprovalRecord> {
    const c = p.contract;
    const multiplier = c.multiplier ?? 100;
    const payload = {
      account: p.account,
      conId: c.conId,
      symbol: c.symbol,
      expiry: c.expiry ?? "",
      strike: c.strike ?? 0,
      right: c.right ?? "P",
      multiplier,
      quantity: p.quantity,
      entryPrice: Math.round((p.avgCost / multiplier) * 100) / 100,
    };
    const label = contractLabel(payload);
    const approval = await this.deps.approvals.request({
      kind: "adopt",
      payload,
      requestedBy,
      summary: `Adopt ${p.quantity} ${label} (avg ${payload.entryPrice.toFixed(2)}) found at the broker: the bot will watch it and attach TP/SL.`,
    });
    for (const old of await this.pendingOf("adopt", approval.id)) {
      const same = adoptPayload.safeParse(old.payload);
      if (same.success && same.data.conId === payload.conId && same.data.account === payload.account)
        await this.deps.approvals.withdraw(old.id, `superseded by approval ${approval.id}`);
    }
    return approval;
  }

  /** The reconciler's one-tap fixes: missing exits -> re-attach, an unknown short option -> adopt. */
  async offerFix(f: ReconcileFinding & FindingText): Promise<boolean> {
    if (f.kind === "missing-exits" && f.missing === "both") {
      await this.requestReattach([f.positionId], "reconciler");
      return true;
    }
    if (f.kind === "unknown-position" && f.position.contract.secType === "OPT" && f.position.quantity < 0) {
      await this.requestAdopt(f.position as BrokerPosition, "reconciler");
      return true;
    }
    return false;
  }

  private async placeEntry(a: ApprovalRecord) {
    const { entries, scheduler } = this.deps;
    const p = entryPayload.parse(a.payload);
    const actor = a.decided_by ?? "unknown";
    const fresh = await entries.preview(p.tradingDay, p.overrides);
    // The market may have closed, or the mid moved, since the request: the same rules again.
    if (fresh.refusedClosed)
      throw new Error("the market is closed; live mode does not leave a manual entry resting until the open");
    if (fresh.needsConfirm.length > 0 && !fresh.confirmed)
      throw new Error(`${fresh.needsConfirm.join("; ")}: send /entry again with confirm:true if you mean it`);
    if (Math.abs(fresh.limit - p.limit) > priceTolerance(p.limit)) {
      const again = await this.requestEntry(fresh, p.overrides, actor);
      return {
        text: `Nothing placed: the limit moved from ${p.limit.toFixed(2)} to ${fresh.limit.toFixed(2)}; asked again as approval ${again.id}.`,
      };
    }
    const claim = await scheduler.claimManual(p.tradingDay, actor);
    if (!claim.ok)
      throw new Error(`today's entry is already ${claim.status}; nothing was placed (one entry per day)`);
    try {
      const row = await entries.place(fresh);
      await scheduler.finishManual(p.tradingDay, actor, null);
      return {
        text: `Entry placed: SELL ${fresh.quantity} ${fresh.label} at ${fresh.limit.toFixed(2)} (${row.order_ref}).`,
      };
    } catch (err) {
      await scheduler.finishManual(p.tradingDay, actor, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async reattach(a: ApprovalRecord) {
    const { positionIds } = reattachPayload.parse(a.payload);
    const actor = a.decided_by ?? "unknown";
    const done: string[] = [];
    const covered = await this.covered(positionIds);
    for (const id of positionIds) {
      if (covered.has(id)) {
        done.push(`${id} already has a live TP and SL, left alone`);
        continue;
      }
      // A lone surviving TP or SL is replaced, so the new pair is one OCA group again.
      for (const row of await orders.liveExitOrders(this.deps.db, id))
        await this.deps.desk.cancelAndClose(row, "replaced by a re-attach");
      const r = await this.deps.exits.attach(id, actor);
      if (r.tp.state === "rejected" || r.sl.state === "rejected") {
        throw new Error(`position ${id}: IB rejected an exit (${r.tp.last_error ?? r.sl.last_error})`);
      }
      done.push(`${id} (TP ${r.tp.limit_price?.toFixed(2)}, SL ${r.sl.aux_price?.toFixed(2)})`);
    }
    return { text: `Exits attached: ${done.join(", ")}.` };
  }

  /** Positions (of `ids`) whose TP and SL are both live at the broker. */
  private async covered(ids: number[]): Promise<Set<number>> {
    const stored = (await Promise.all(ids.map((id) => positions.positionById(this.deps.db, id)))).filter(
      (p) => p !== undefined,
    );
    const lacking = new Set(
      missingExits({ storedPositions: stored, openOrders: await this.deps.brokerOrders() }).map(
        (f) => f.positionId,
      ),
    );
    return new Set(stored.filter((p) => !lacking.has(p.id)).map((p) => p.id));
  }

  /**
   * The live exits at the broker that cover an adopted position become its journaled exits, so that
   * their fills close it with its P&L like our own. Orders of another client keep their refs (or get
   * `ext:<permId>`) and are never cancelled or changed by the bot.
   */
  private async adoptExits(position: PositionRow): Promise<string[]> {
    const { db, clock } = this.deps;
    const live = (await this.deps.brokerOrders()).filter(
      (o) => o.contract.conId === position.con_id && isLiveOrderStatus(o.status) && exitKindOf(o),
    );
    const coverage = coverExits([{ id: position.id, quantity: position.quantity }], live).get(position.id);
    const covering = [...(coverage?.tp ?? []), ...(coverage?.sl ?? [])];
    const refs: string[] = [];
    await db.transaction().execute(async (trx) => {
      for (const c of covering) {
        const o = live.find((x) => x.orderId === c.orderId && x.orderRef === c.orderRef);
        if (!o) continue;
        const known =
          (o.orderRef && (await orders.orderByRef(trx, o.orderRef))) ||
          (o.permId && (await orders.orderByPermId(trx, o.permId)));
        if (known) {
          await orders.linkOrderToPosition(trx, known.id, position.id);
          refs.push(known.order_ref);
          continue;
        }
        const orderRef = o.orderRef || `ext:${o.permId}`;
        const row = await orders.journalOrder(
          trx,
          {
            orderRef,
            intent: c.exit,
            positionId: position.id,
            conId: position.con_id,
            symbol: position.symbol,
            secType: position.sec_type,
            expiry: position.expiry,
            strike: position.strike,
            right: position.right,
            action: "BUY",
            orderType: o.orderType === "STP LMT" ? "STP LMT" : o.orderType === "STP" ? "STP" : "LMT",
            quantity: o.quantity,
            limitPrice: o.limitPrice ?? null,
            auxPrice: o.auxPrice ?? null,
            tif: o.tif || "GTC",
            ocaGroup: o.ocaGroup ?? null,
            clientId: o.clientId,
          },
          clock.now(),
        );
        await orders.updateOrderState(
          trx,
          row.id,
          { state: "acknowledged", brokerOrderId: o.orderId, permId: o.permId || null, clientId: o.clientId },
          clock.now(),
        );
        refs.push(orderRef);
      }
    });
    return refs;
  }

  private async adopt(a: ApprovalRecord) {
    const p = adoptPayload.parse(a.payload);
    const { db, clock } = this.deps;
    const existing = await positions.openPositionByContract(db, p.conId, p.account);
    if (existing) throw new Error(`position ${existing.id} already holds ${contractLabel(p)}`);
    const row = await positions.insertPosition(
      db,
      {
        strategy: "adopted",
        account: p.account,
        conId: p.conId,
        symbol: p.symbol,
        secType: "OPT",
        expiry: p.expiry,
        strike: p.strike,
        right: p.right,
        multiplier: p.multiplier,
        quantity: p.quantity,
        entryPrice: p.entryPrice,
        source: "adopted",
        openedAt: clock.now(),
      },
      clock.now(),
    );
    if (p.quantity >= 0) return { text: `Adopted as position ${row.id}.` };
    if ((await this.covered([row.id])).has(row.id)) {
      const refs = await this.adoptExits(row);
      return {
        text: `Adopted as position ${row.id}; its TP and SL at the broker already cover it (${refs.join(", ")}), and their fills will close it.`,
      };
    }
    const r = await this.deps.exits.attach(row.id, a.decided_by ?? "unknown");
    return {
      text: `Adopted as position ${row.id}; TP ${r.tp.limit_price?.toFixed(2)} and SL ${r.sl.aux_price?.toFixed(2)} attached.`,
    };
  }
}
