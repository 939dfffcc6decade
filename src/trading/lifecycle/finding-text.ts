import type { ReconcileFinding } from "../domain/reconcile-findings.js";

export interface FindingText {
  /** Stable across runs, so a finding is alerted once until it goes away. */
  key: string;
  text: string;
  advice: string;
  positionId?: number;
}

/** What a reconciliation finding means and how to fix it; `label` names a contract by conId. */
export function describeFinding(f: ReconcileFinding, label: (conId: number) => string): FindingText {
  switch (f.kind) {
    case "missing-exits": {
      const what =
        f.missing === "both" ? "TP and SL" : f.missing === "tp" ? "take-profit (TP)" : "stop-loss (SL)";
      return {
        key: `missing-exits:${f.positionId}:${f.missing}`,
        positionId: f.positionId,
        text: `Position ${f.positionId} (${label(f.conId)}) has no live ${what} at the broker`,
        advice: `Re-attach its exits with /reattach position:${f.positionId} (or "reattach ${f.positionId}" on the console).`,
      };
    }
    case "exits-not-oca":
      return {
        key: `exits-not-oca:${f.positionId}`,
        positionId: f.positionId,
        text: `Position ${f.positionId} (${label(f.conId)}): TP and SL are not in one OCA group`,
        advice: `Both could fill. Re-attach with /reattach position:${f.positionId} to replace them with a linked pair.`,
      };
    case "excess-exits":
      return {
        key: `excess-exits:${f.conId}:${f.exit}`,
        text: `${label(f.conId)}: ${f.liveQuantity} live ${f.exit.toUpperCase()} contracts for a short of ${f.shortQuantity}`,
        advice: `The surplus would open a long position if it filled. Cancel the extra orders (${f.orders.map((o) => o.orderRef || o.orderId).join(", ")}) in TWS.`,
      };
    case "orphan-exit":
      return {
        key: `orphan-exit:${f.order.orderRef || f.order.orderId}`,
        text: `Order ${f.order.orderRef || f.order.orderId} (${label(f.conId)}) is a BUY with no short position to close`,
        advice: "If it fills it opens a long position. Cancel it in TWS unless you meant it.",
      };
    case "unknown-position":
      return {
        key: `unknown-position:${f.account}:${f.conId}`,
        text: `The broker holds ${f.position.quantity} ${label(f.conId)} that the bot does not know`,
        advice:
          "Probably a manual trade in TWS. Adopt it so the bot watches it and attaches exits, or close it yourself.",
      };
    case "vanished-position":
      return {
        key: `vanished-position:${f.positionId}`,
        positionId: f.positionId,
        text: `Position ${f.positionId} (${label(f.conId)}) is no longer at the broker`,
        advice:
          f.explainedBy === "execution"
            ? "Closing executions explain it; it was closed while the bot was away."
            : "No execution explains it: check the account in TWS (closed by hand, assigned, or expired).",
      };
    case "quantity-mismatch":
      return {
        key: `quantity-mismatch:${f.account}:${f.conId}:${f.brokerQuantity}`,
        text: `${label(f.conId)}: the journal holds ${f.storedQuantity}, the broker ${f.brokerQuantity}`,
        advice: "A partial fill or a manual trade. Check the executions in TWS before acting.",
      };
  }
}
