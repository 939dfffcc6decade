import { APPROVAL_ALERT_SEVERITY, type ApprovalAlert } from "./approvals/approval-alerts.js";
import { SCHEDULE_ALERT_SEVERITY, type ScheduleAlert } from "./schedule/schedule-alerts.js";

/** Every situation the bot tells the trader about: one kind per situation. */
export type CachePart = "positions" | "orders" | "account";

export type Alert =
  | { type: "connected"; endpoint: string; serverVersion: number; accounts: string[] }
  | { type: "disconnected"; reason: string; advice?: string }
  | { type: "reconnected"; downtimeMs: number; drops: number; causes: string[] }
  | { type: "degraded"; reason: string }
  | { type: "restored"; downtimeMs: number; causes: string[] }
  | { type: "silent-handshake"; endpoint: string; advice: string }
  | { type: "client-id-in-use"; clientId: number; advice: string }
  | { type: "competing-session"; detail: string; advice: string }
  | { type: "account-problem"; text: string }
  | { type: "stale"; part: CachePart; ageMs: number; limitMs: number }
  | { type: "fresh"; part: CachePart; staleForMs: number }
  | LifecycleAlert
  | ApprovalAlert
  | ScheduleAlert;

/** A short description of an option, e.g. "SPY 624P 2026-04-30". */
export type ContractLabel = string;

export type LifecycleAlert =
  | {
      type: "fill";
      intent: "entry" | "tp" | "sl" | "close" | "unknown";
      contract: ContractLabel;
      side: "BOT" | "SLD";
      quantity: number;
      price: number;
      positionId: number | null;
      orderRef: string;
      pnl?: number;
      /** How the fill became known, when not from its execution. */
      note?: string;
    }
  | {
      type: "fill-corrected";
      contract: ContractLabel;
      orderRef: string;
      execId: string;
      positionId: number | null;
      side: "BOT" | "SLD";
      quantity: number;
      previousQuantity: number;
      price: number;
      previousPrice: number;
    }
  | { type: "order-rejected"; orderRef: string; contract: ContractLabel; code: number; reason: string }
  | {
      type: "exits-attached";
      positionId: number;
      contract: ContractLabel;
      tp: number;
      sl: number;
      ocaGroup: string;
    }
  | {
      type: "entry-placed";
      orderRef: string;
      contract: ContractLabel;
      limit: number;
      /** Contracts, and the exits that go on at the fill. Missing on alerts raised before they were added. */
      quantity?: number;
      tp?: number;
      sl?: number;
      delta: number | null;
      dte: number;
      /** Which ticks priced it; "delayed" is said in the post. Missing on entries found after a restart. */
      data?: "live" | "delayed";
      /** Where the delta came from (live or delayed greeks, or the bot's model from the mid). */
      deltaFrom?: "live" | "delayed" | "model" | null;
      dataNote?: string | null;
    }
  | { type: "finding"; finding: string; key: string; text: string; advice: string; positionId?: number }
  | {
      type: "position-closed";
      positionId: number;
      contract: ContractLabel;
      reason: string;
      pnl: number | null;
      text: string;
    }
  | { type: "assigned"; contract: ContractLabel; shares: number; text: string }
  | {
      type: "daily-summary";
      tradingDay: string;
      openPositions: number;
      /** Positions without a live TP and SL; null when the broker could not be asked. */
      uncovered: number[] | null;
      fills: number;
      closedTrades: number;
      realizedPnl: number;
      downtimeMs: number;
    };

export type AlertType = Alert["type"];
export type Severity = "info" | "warning" | "urgent";
/** ✓ it worked, ✗ it failed, ▼ money lost, ? outcome unknown, ! attention, ‼ act now, • for the record. */
export type AlertSymbol = "✓" | "✗" | "▼" | "?" | "!" | "‼" | "•";

export interface AlertStyle {
  severity: Severity;
  symbol: AlertSymbol;
}

/**
 * Each alert kind's severity and symbol by its consequence: urgent pings (someone must act),
 * warning does not. The runbook in docs/OPERATIONS.md is tested against this table.
 */
export const ALERT_STYLE: Record<AlertType, AlertStyle> = {
  connected: { severity: "info", symbol: "✓" },
  disconnected: { severity: "urgent", symbol: "‼" },
  reconnected: { severity: "info", symbol: "✓" },
  degraded: { severity: "urgent", symbol: "‼" },
  restored: { severity: "info", symbol: "✓" },
  "silent-handshake": { severity: "urgent", symbol: "‼" },
  "client-id-in-use": { severity: "urgent", symbol: "‼" },
  "competing-session": { severity: "urgent", symbol: "‼" },
  "account-problem": { severity: "urgent", symbol: "‼" },
  stale: { severity: "warning", symbol: "!" },
  fresh: { severity: "info", symbol: "✓" },
  fill: { severity: "info", symbol: "•" },
  "fill-corrected": { severity: "warning", symbol: "!" },
  "order-rejected": { severity: "urgent", symbol: "✗" },
  "exits-attached": { severity: "info", symbol: "✓" },
  "entry-placed": { severity: "info", symbol: "✓" },
  finding: { severity: "urgent", symbol: "‼" },
  "position-closed": { severity: "info", symbol: "•" },
  assigned: { severity: "urgent", symbol: "‼" },
  "daily-summary": { severity: "info", symbol: "•" },
  "approval-requested": { severity: APPROVAL_ALERT_SEVERITY["approval-requested"], symbol: "‼" },
  "approval-decided": { severity: APPROVAL_ALERT_SEVERITY["approval-decided"], symbol: "✓" },
  "approval-expired": { severity: APPROVAL_ALERT_SEVERITY["approval-expired"], symbol: "•" },
  "approval-withdrawn": { severity: APPROVAL_ALERT_SEVERITY["approval-withdrawn"], symbol: "•" },
  "entry-skipped": { severity: SCHEDULE_ALERT_SEVERITY["entry-skipped"], symbol: "•" },
  "entry-missed": { severity: SCHEDULE_ALERT_SEVERITY["entry-missed"], symbol: "✗" },
  "entry-failed": { severity: SCHEDULE_ALERT_SEVERITY["entry-failed"], symbol: "✗" },
  "preflight-problems": { severity: SCHEDULE_ALERT_SEVERITY["preflight-problems"], symbol: "!" },
  "preflight-report": { severity: SCHEDULE_ALERT_SEVERITY["preflight-report"], symbol: "•" },
};

/**
 * One alert's style: its kind's, except where this alert's outcome says more. A loss is a warning
 * with ▼ (never a check mark), a profit keeps its kind's, an outcome the bot could not book is ?,
 * an approval that failed is ✗ and one rejected is •.
 */
export function styleOf(alert: Alert): AlertStyle {
  const base = ALERT_STYLE[alert.type];
  if ((alert.type === "fill" || alert.type === "position-closed") && "pnl" in alert) {
    if (alert.pnl === null) return { severity: "warning", symbol: "?" };
    if (alert.pnl !== undefined && alert.pnl < 0) return { severity: "warning", symbol: "▼" };
    if (alert.pnl !== undefined) return { severity: base.severity, symbol: "✓" };
  }
  if (alert.type === "approval-decided" && "outcome" in alert) {
    if (alert.outcome === "failed") return { severity: "warning", symbol: "✗" };
    if (alert.outcome === "rejected") return { severity: base.severity, symbol: "•" };
  }
  return base;
}

export function severityOf(alert: Alert): Severity {
  return styleOf(alert).severity;
}
