import type { PendingApproval } from "../trading/approvals/approval-record.js";
import type { DecisionResult } from "../trading/approvals/approval-types.js";
import type { EntryPreview } from "../trading/lifecycle/entry-service.js";
import type { ReconcileReport } from "../trading/lifecycle/reconciler.js";
import { dataText, deltaText, money } from "./format.js";
import { etClock, etDayTime } from "./times.js";
import type { OrderView, PositionView, ReattachCandidate, TradeView } from "./trading-ops.js";

/** Plain-text views of the Ops facade's data, shared by the console and Discord. */

const px = (x: number | null | undefined) => (x === null || x === undefined ? "?" : x.toFixed(2));

export function positionsText(list: PositionView[]): string {
  if (list.length === 0) return "No open positions.";
  return list
    .map((p) => {
      // Unknown is not missing: while the broker cannot be asked, the exits may well be live.
      const exits = p.exitsUnknown
        ? `exits unknown (${p.exitsUnknown})`
        : `${p.tp ? `TP ${px(p.tp.price)} live` : "TP MISSING"} | ${p.sl ? `SL ${px(p.sl.price)} live` : "SL MISSING"}`;
      const mark = p.mark === null ? "mark unknown" : `mark ${px(p.mark)}, P&L ${money(p.pnl ?? 0)}`;
      return `#${p.id} ${p.quantity} ${p.contract} @ ${px(p.entryPrice)} | ${exits} | ${mark}`;
    })
    .join("\n");
}

export function ordersText(view: { known: boolean; orders: OrderView[]; unknownBecause?: string }): string {
  if (!view.known) return `Open orders unknown: ${view.unknownBecause ?? "not connected to the gateway"}.`;
  if (view.orders.length === 0) return "No open orders at the broker.";
  return view.orders
    .map(
      (o) =>
        `${o.orderId} ${o.action} ${o.quantity} ${o.contract} ${o.type} ${px(o.price)} ${o.tif} ${o.status}` +
        `${o.ocaGroup ? ` oca ${o.ocaGroup}` : ""}${o.orderRef ? ` (${o.orderRef})` : " (manual)"}`,
    )
    .join("\n");
}

export function tradesText(list: TradeView[], days: number): string {
  if (list.length === 0) return `No closed trades in the last ${days} days.`;
  const total = list.reduce((sum, t) => sum + t.pnl, 0);
  const rows = list.map(
    (t) =>
      `${etDayTime(t.closedAt)} #${t.positionId} ${t.contract} ${t.reason.toUpperCase()} ` +
      `${t.quantity} @ ${px(t.entryPrice)} -> ${px(t.exitPrice)} ${money(t.pnl)}`,
  );
  return [...rows, `Total over ${days} days: ${money(total)} (${list.length} trades)`].join("\n");
}

export function entryPreviewText(p: EntryPreview): string {
  return [
    `SELL ${p.quantity} ${p.label}: ${p.dte} days to expiry, delta ${deltaText(p.delta, p.deltaFrom, 3)}`,
    `Quote ${px(p.bid)} / ${px(p.ask)} (mid ${px(p.mid)}); limit ${px(p.limit)}, floor ${px(p.floor)}`,
    `Exits on fill: TP BUY LMT ${px(p.tp)}, SL BUY STP ${px(p.sl)} (GTC, one OCA group)`,
    `Order ref ${p.orderRef}`,
    ...(p.data === "delayed" ? [`DELAYED DATA:${dataText(p.data, p.dataNote)}`] : []),
  ].join("\n");
}

export function approvalLine(a: PendingApproval): string {
  return `${a.id} [${a.kind}] ${a.summary} (expires ${etClock(a.expiresAt)}): approve ${a.id} / reject ${a.id}`;
}

export function approvalsText(list: PendingApproval[]): string {
  return list.length === 0 ? "No approvals waiting." : list.map(approvalLine).join("\n");
}

export function reattachText(candidates: ReattachCandidate[]): string {
  if (candidates.length === 0)
    return "Every open position has a live TP and SL at the broker. Nothing to re-attach.";
  return candidates
    .map(
      (c) =>
        `#${c.positionId} ${c.contract}: missing ${c.missing === "both" ? "TP and SL" : c.missing.toUpperCase()}`,
    )
    .join("\n");
}

export function reconcileText(r: ReconcileReport): string {
  const lines = r.findings.map((f) => `- ${f.text}. ${f.advice}`);
  for (const s of r.settled) lines.push(`- Position ${s.positionId} settled as ${s.outcome}.`);
  for (const id of r.reattached) lines.push(`- Re-attached the exits of position ${id} automatically.`);
  return lines.length === 0
    ? "Reconciled: the journal and the broker agree."
    : ["Reconciled:", ...lines].join("\n");
}

export function decisionText(d: DecisionResult): string {
  if (!d.ok) return `Refused: ${d.message}`;
  return `${d.verdict === "approve" ? "Approved" : "Rejected"} ${d.approval.id}: ${d.text}`;
}
