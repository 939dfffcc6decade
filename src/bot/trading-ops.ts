import type { Clock } from "../clock.js";
import { type Db, positions as positionRepo, trades as tradeRepo } from "../store/index.js";
import { type PendingApproval, toPending } from "../trading/approvals/approval-record.js";
import type { DecisionResult } from "../trading/approvals/approval-types.js";
import { coverExits } from "../trading/domain/exit-coverage.js";
import { missingExits } from "../trading/domain/missing-exits.js";
import { markPnl } from "../trading/domain/pnl.js";
import type { ExitOrderSummary } from "../trading/domain/reconcile-findings.js";
import { uncoveredShorts } from "../trading/domain/short-coverage.js";
import type { ConnectionSupervisor } from "../trading/ib/connection-supervisor.js";
import { snapshot } from "../trading/ib/ib-market-data.js";
import { contractLabel } from "../trading/lifecycle/contract-label.js";
import type { EntryOverrides, EntryPreview } from "../trading/lifecycle/entry-service.js";
import type { ReconcileReport } from "../trading/lifecycle/reconciler.js";
import type { Trading } from "../trading/trading.js";
import { etWhen } from "./times.js";
import { entryRefusal } from "./views.js";

/** A manual /entry: its preview and the approval it asked for, or why nothing was requested. */
export type EntryRequest =
  | { preview: EntryPreview; approval: PendingApproval; refused: null }
  | { preview: EntryPreview; approval: null; refused: string };

export interface PositionView {
  id: number;
  contract: string;
  quantity: number;
  entryPrice: number;
  openedAt: string;
  source: string;
  tp: ExitView | null;
  sl: ExitView | null;
  /** Why the exits at the broker are not known now (then tp/sl say nothing); null when they are. */
  exitsUnknown: string | null;
  mark: number | null;
  pnl: number | null;
}

/** A live exit order at the broker. */
export interface ExitView {
  price: number | null;
  orderRef: string;
  orderId: number;
}

export interface OrderView {
  orderId: number;
  orderRef: string;
  contract: string;
  action: string;
  type: string;
  quantity: number;
  price: number | null;
  tif: string;
  status: string;
  ocaGroup: string | null;
  ours: boolean;
}

export interface TradeView {
  positionId: number;
  /** "SPY 624P 2026-04-30" */
  contract: string;
  closedAt: string;
  reason: string;
  quantity: number;
  entryPrice: number;
  exitPrice: number;
  pnl: number;
}

export interface ReattachCandidate {
  positionId: number;
  contract: string;
  missing: "tp" | "sl" | "both";
}

/**
 * The trading half of the Ops facade: positions, orders, trades, entries, re-attach, reconcile,
 * the schedule and approvals, as plain data for every chat adapter.
 */
export class TradingOps {
  constructor(
    private readonly deps: { db: Db; clock: Clock; supervisor: ConnectionSupervisor; trading: Trading },
  ) {}

  private get t(): Trading {
    return this.deps.trading;
  }

  async positions(withMarks = true): Promise<PositionView[]> {
    const stored = await positionRepo.openPositions(this.deps.db);
    const open = this.deps.supervisor.cache.orders;
    const exitsUnknown = open ? null : this.unknownBecause();
    const session = this.deps.supervisor.activeSession;
    const marks = new Map<number, number>();
    if (withMarks && session && this.deps.supervisor.current.state === "connected") {
      const quotes = await Promise.all(
        stored.slice(0, 20).map((p) =>
          snapshot(session, {
            conId: p.con_id,
            symbol: p.symbol,
            secType: "OPT",
            exchange: "SMART",
            currency: "USD",
          }).catch(() => undefined),
        ),
      );
      stored.slice(0, 20).forEach((p, i) => {
        const q = quotes[i];
        const mark = q?.bid && q.ask ? (q.bid + q.ask) / 2 : q?.last;
        if (mark) marks.set(p.id, Math.round(mark * 100) / 100);
      });
    }
    return stored.map((p) => {
      const onContract = open?.filter((o) => o.contract.conId === p.con_id && o.account === p.account);
      const exits = onContract ? coverExits([p], onContract).get(p.id) : undefined;
      const view = (list: ExitOrderSummary[] | undefined): ExitView | null => {
        const o = list?.[0];
        return o ? { price: o.price ?? null, orderRef: o.orderRef, orderId: o.orderId } : null;
      };
      const mark = marks.get(p.id) ?? null;
      return {
        id: p.id,
        contract: contractLabel(p),
        quantity: p.quantity,
        entryPrice: p.entry_price,
        openedAt: p.opened_at,
        source: p.source,
        tp: view(exits?.tp),
        sl: view(exits?.sl),
        exitsUnknown,
        mark,
        pnl:
          mark === null
            ? null
            : markPnl({ entryPrice: p.entry_price, mark, quantity: p.quantity, multiplier: p.multiplier })
                .pnl,
      };
    });
  }

  /** "not connected since 09:35 ET": why the broker's state is not known now. */
  private unknownBecause(): string {
    const s = this.deps.supervisor.current;
    const since = etWhen(s.troubleSince ?? s.since, this.deps.clock.now());
    if (s.state !== "connected" && s.state !== "degraded") return `not connected since ${since}`;
    // Connected, but the orders were not read yet on this connection (or the gateway stopped answering).
    return this.deps.supervisor.cache.refreshedAt("orders") === undefined
      ? `not read from the broker yet; connected at ${since}`
      : `the gateway has not answered for them since ${since}`;
  }

  async orders(): Promise<{ known: boolean; orders: OrderView[]; unknownBecause?: string }> {
    const open = this.deps.supervisor.cache.orders;
    if (!open) return { known: false, orders: [], unknownBecause: this.unknownBecause() };
    return {
      known: true,
      orders: open.map((o) => ({
        orderId: o.orderId,
        orderRef: o.orderRef,
        contract:
          o.contract.secType === "OPT"
            ? contractLabel({
                symbol: o.contract.symbol,
                strike: o.contract.strike ?? 0,
                right: o.contract.right ?? "",
                expiry: o.contract.expiry ?? "",
              })
            : o.contract.symbol,
        action: o.action,
        type: o.orderType,
        quantity: o.quantity,
        price: o.limitPrice ?? o.auxPrice ?? null,
        tif: o.tif,
        status: o.status,
        ocaGroup: o.ocaGroup ?? null,
        ours: o.orderRef.startsWith("tw:"),
      })),
    };
  }

  async trades(days: number): Promise<TradeView[]> {
    const since = new Date(this.deps.clock.now().getTime() - days * 86_400_000);
    const rows = await tradeRepo.tradesSince(this.deps.db, since);
    const labels = new Map<number, string>();
    for (const id of new Set(rows.map((r) => r.position_id))) {
      const p = await positionRepo.positionById(this.deps.db, id);
      labels.set(id, p ? contractLabel(p) : `position ${id}`);
    }
    return rows.map((r) => ({
      positionId: r.position_id,
      contract: labels.get(r.position_id) ?? `position ${r.position_id}`,
      closedAt: r.closed_at,
      reason: r.reason,
      quantity: r.quantity,
      entryPrice: r.entry_price,
      exitPrice: r.exit_price,
      pnl: r.pnl,
    }));
  }

  previewEntry(overrides: EntryOverrides = {}): Promise<EntryPreview> {
    return this.t.entries.preview(this.t.calendar.today(), overrides);
  }

  /**
   * Previews, then asks for approval; nothing is sent until someone approves. Nothing is even
   * requested (refused, with what to do) when live mode is outside regular hours, or when the
   * entry needs confirm:true (a quantity above STRATEGY_QUANTITY_MAX, a limit far from the mid).
   */
  async requestEntry(actor: string, overrides: EntryOverrides = {}): Promise<EntryRequest> {
    const preview = await this.previewEntry(overrides);
    const refused = entryRefusal(preview, overrides);
    if (refused) return { preview, approval: null, refused };
    const approval = await this.t.decisions.requestEntry(preview, overrides, actor);
    return { preview, approval: toPending(approval), refused: null };
  }

  /** Open positions lacking a live TP and/or SL at the broker (all, or the one asked for). */
  async reattachCandidates(positionId?: number): Promise<ReattachCandidate[]> {
    const session = this.deps.supervisor.activeSession;
    if (!session) throw new Error("not connected to the gateway: cannot see which exits are live");
    const stored = await positionRepo.openPositions(this.deps.db);
    const subject = positionId === undefined ? stored : stored.filter((p) => p.id === positionId);
    if (positionId !== undefined && subject.length === 0)
      throw new Error(`there is no open position ${positionId}`);
    const findings = missingExits({ storedPositions: subject, openOrders: await session.openOrders() });
    const byId = new Map(stored.map((p) => [p.id, p]));
    return findings.map((f) => ({
      positionId: f.positionId,
      contract: contractLabel(byId.get(f.positionId)!),
      missing: f.missing,
    }));
  }

  async requestReattach(actor: string, positionId?: number) {
    const candidates = await this.reattachCandidates(positionId);
    if (candidates.length === 0) return { candidates, approval: null };
    const approval = await this.t.decisions.requestReattach(
      candidates.map((c) => c.positionId),
      actor,
    );
    return { candidates, approval: toPending(approval) };
  }

  reconcile(): Promise<ReconcileReport> {
    return this.t.reconciler.run("command");
  }

  pause(actor: string) {
    return this.t.scheduler.pause(actor);
  }

  resume(actor: string) {
    return this.t.scheduler.resume(actor);
  }

  /** Remembers where a chat posted the approval, so its decision and expiry edit that post. */
  setChatRef(id: string, chatRef: string): Promise<void> {
    return this.t.approvals.setChatRef(id, chatRef);
  }

  /** The nonce the approval's buttons carry, from the journal; null for an unknown approval. */
  async approvalNonce(id: string): Promise<string | null> {
    return (await this.t.approvals.approval(id))?.nonce ?? null;
  }

  approvals(): Promise<PendingApproval[]> {
    return this.t.approvals.pending();
  }

  decide(
    id: string,
    nonce: string,
    verdict: "approve" | "reject",
    actor: string,
    authorized: boolean,
  ): Promise<DecisionResult> {
    return this.t.approvals.decide(id, nonce, verdict, { actor, authorized });
  }

  decideFromConsole(id: string, verdict: "approve" | "reject"): Promise<DecisionResult> {
    return this.t.approvals.decideFromConsole(id, verdict);
  }

  async scheduleStatus() {
    const [next, today, pause, pending] = await Promise.all([
      this.t.scheduler.nextEntry(),
      this.t.scheduler.todayRun(),
      this.t.scheduler.pauseState(),
      this.t.approvals.pending(),
    ]);
    const report = this.t.reconciler.lastReport;
    const { cache } = this.deps.supervisor;
    const held = cache.positions;
    const working = cache.orders;
    return {
      nextEntry: next,
      today,
      paused: pause.paused,
      pausedBy: pause.by,
      pendingApprovals: pending.length,
      missingExits: report
        ? report.findings.flatMap((f) =>
            f.kind === "missing-exits" ? [{ positionId: f.positionId, missing: f.missing }] : [],
          )
        : null,
      lastReconcile: report?.at ?? null,
      /** The broker's short options without a working TP and SL for their whole size; null when unknown. */
      uncoveredShorts:
        held && working
          ? uncoveredShorts(held, working).map((c) => ({
              contract: contractLabel(c),
              short: c.short,
              tp: c.tp,
              sl: c.sl,
            }))
          : null,
    };
  }
}
