import type { PendingApproval } from "../trading/approvals/approval-record.js";
import type { DecisionResult } from "../trading/approvals/approval-types.js";
import type { EntryOverrides, EntryPreview } from "../trading/lifecycle/entry-service.js";
import type { ReconcileReport } from "../trading/lifecycle/reconciler.js";
import { dataText, deltaText, dollars, money } from "./format.js";
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
    `Quote ${px(p.bid)} / ${px(p.ask)} (mid ${px(p.mid)}); limit ${px(p.limit)}${p.limitSet ? " (yours)" : ""}, floor ${px(p.floor)}`,
    `Credit ${dollars(p.limit * 100 * p.quantity)} (${p.quantity} x 100 x ${px(p.limit)})`,
    ladderText(p),
    ...(p.market.known && !p.market.open ? [closedText(p)] : []),
    `Exits on fill: TP BUY LMT ${px(p.tp)}, SL BUY STP ${px(p.sl)} (GTC, one OCA group)`,
    ...(p.needsConfirm.length > 0 && p.confirmed
      ? [`Confirmed with confirm:true: ${p.needsConfirm.join("; ")}`]
      : []),
    `Order ref ${p.orderRef}`,
    ...(p.data === "delayed" ? [`DELAYED DATA:${dataText(p.data, p.dataNote)}`] : []),
  ].join("\n");
}

/** Whether the limit will be stepped, in words: a trader's limit is where the ladder starts. */
function ladderText(p: EntryPreview): string {
  switch (p.ladderOff) {
    case "ladder:false":
      return `Ladder: off (ladder:false): the limit stays at ${px(p.limit)} until it fills or the day ends`;
    case "market-closed":
      return `Ladder: off while the market is closed: the limit stays at ${px(p.limit)}`;
    case "at-floor":
      return `Ladder: none: the limit ${px(p.limit)} is at or below the floor ${px(p.floor)}, it stays there`;
    case null:
      return (
        `Ladder: ${p.limitSet ? "starts at your limit, " : ""}${px(p.limit)} steps down ${px(p.step)} every ${p.repriceS}s ` +
        `to the floor ${px(p.floor)} (ladder:false keeps it at ${px(p.limit)})`
      );
  }
}

function opensText(p: EntryPreview): string {
  if (!p.market.known || p.market.open) return "";
  return p.market.opensAt
    ? `it opens ${etDayTime(p.market.opensAt)}`
    : "the broker's calendar shows no open in the next two weeks";
}

function closedText(p: EntryPreview): string {
  return `Market closed (${opensText(p)}): the order will rest at IB until the open, then work as a DAY order`;
}

/** The command a trader sends to go ahead: the same options plus confirm:true. */
function withConfirm(o: EntryOverrides): string {
  const parts = Object.entries(o)
    .filter(([k, v]) => k !== "confirm" && v !== undefined)
    .map(([k, v]) => `${k}:${typeof v === "number" && k === "limit" ? v.toFixed(2) : String(v)}`);
  return ["/entry", ...parts, "confirm:true"].join(" ");
}

/**
 * Why a manual /entry asks for nothing yet, with what to do; null when it may be requested.
 * Live mode never leaves a manual entry resting until the open; a fat finger needs confirm:true.
 */
export function entryRefusal(p: EntryPreview, o: EntryOverrides): string | null {
  if (p.refusedClosed) {
    return (
      `Nothing requested: the market is closed (${opensText(p)}). Live mode does not leave a manual ` +
      "entry resting until the open: send /entry again during regular trading hours."
    );
  }
  if (p.needsConfirm.length > 0 && !p.confirmed) {
    return (
      `Nothing requested: ${p.needsConfirm.join("; ")}. Check the numbers; if you mean it, ` +
      `send ${withConfirm(o)}`
    );
  }
  return null;
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
