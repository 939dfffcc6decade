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

const SEVERITY: Record<AlertType, Severity> = {
  connected: "info",
  disconnected: "urgent",
  reconnected: "info",
  degraded: "urgent",
  restored: "info",
  "silent-handshake": "urgent",
  "client-id-in-use": "urgent",
  "competing-session": "urgent",
  "account-problem": "urgent",
  stale: "warning",
  fresh: "info",
  fill: "info",
  "fill-corrected": "warning",
  "order-rejected": "urgent",
  "exits-attached": "info",
  "entry-placed": "info",
  finding: "urgent",
  "position-closed": "info",
  assigned: "urgent",
  "daily-summary": "info",
  ...APPROVAL_ALERT_SEVERITY,
  ...SCHEDULE_ALERT_SEVERITY,
};

export function severityOf(alert: Alert): Severity {
  return SEVERITY[alert.type];
}
