import type { ApprovalKind } from "../../store/index.js";
import type { Severity } from "../alerts.js";
import { zone } from "../domain/zoned-time.js";
import type { ApprovalRecord } from "./approval-record.js";

export type Verdict = "approve" | "reject";

/**
 * Alerts about approvals. The lead merges this union into `Alert` (src/trading/alerts.ts), the
 * severities into its SEVERITY table and `describeApprovalAlert` into `describeAlert`.
 */
export type ApprovalAlert =
  | {
      type: "approval-requested";
      approvalId: string;
      /** Goes on the buttons; never shown as text. */
      nonce: string;
      kind: ApprovalKind;
      summary: string;
      requestedBy: string;
      /** ISO UTC. */
      expiresAt: string;
    }
  | {
      type: "approval-decided";
      approvalId: string;
      kind: ApprovalKind;
      summary: string;
      verdict: Verdict;
      decidedBy: string;
      outcome: "executed" | "failed" | "rejected";
      /** What happened, one line: "Entry placed for 2026-02-04 (order tw:entry:2026-02-04:SPY-P)." */
      text: string;
      /** Where the request was posted, so the adapter can edit that message. */
      chatRef: string | null;
    }
  | {
      type: "approval-expired";
      approvalId: string;
      kind: ApprovalKind;
      summary: string;
      /** ISO UTC. */
      expiredAt: string;
      chatRef: string | null;
      /** What is still at risk now that nobody answered, e.g. "Position 18 (SPY 624P 2026-04-30) still has no live TP and SL." */
      atRisk?: string;
    }
  | {
      /** Closed without a decision because its premise changed: a newer request, or nothing left to do. */
      type: "approval-withdrawn";
      approvalId: string;
      kind: ApprovalKind;
      summary: string;
      /** "superseded by approval k3x9", "position 18 now has a live TP and SL" */
      reason: string;
      chatRef: string | null;
    };

// A request pings: it waits on a person and has a deadline.
export const APPROVAL_ALERT_SEVERITY: Record<ApprovalAlert["type"], Severity> = {
  "approval-requested": "urgent",
  "approval-decided": "info",
  "approval-expired": "info",
  "approval-withdrawn": "info",
};

export function severityOfApprovalAlert(alert: ApprovalAlert): Severity {
  return APPROVAL_ALERT_SEVERITY[alert.type];
}

const KIND_TITLE: Record<ApprovalKind, string> = {
  entry: "Entry",
  "scheduled-entry": "Scheduled entry",
  "catch-up-entry": "Catch-up entry",
  reattach: "Re-attach exits",
  adopt: "Adopt position",
};

/** Title and body, the same words on every chat platform. */
export function describeApprovalAlert(
  alert: ApprovalAlert,
  timeZone = "America/New_York",
): { title: string; text: string } {
  const what = KIND_TITLE[alert.kind];
  switch (alert.type) {
    case "approval-requested":
      return {
        title: `Approval needed: ${what.toLowerCase()} (${alert.approvalId})`,
        // How to answer is each chat's own: buttons on Discord, `approve <id>` on the console.
        text: `${alert.summary} Expires at ${clockTime(alert.expiresAt, timeZone)}.`,
      };
    case "approval-decided": {
      const verb = alert.verdict === "approve" ? "approved" : "rejected";
      const outcome = alert.outcome === "failed" ? "approved but failed" : verb;
      return {
        title: `${what} ${outcome} (${alert.approvalId})`,
        text: `${cap(verb)} by ${alert.decidedBy}. ${alert.text}`,
      };
    }
    case "approval-expired":
      return {
        title: `${what} approval expired (${alert.approvalId})`,
        text: `Nobody answered by ${clockTime(alert.expiredAt, timeZone)}; nothing was done. ${alert.summary}${alert.atRisk ? ` ${alert.atRisk}` : ""}`,
      };
    case "approval-withdrawn":
      return {
        title: `${what} approval withdrawn (${alert.approvalId})`,
        text: `Withdrawn, ${alert.reason}; nothing was done. ${alert.summary}`,
      };
  }
}

/** "10:25 America/New_York" for an ISO instant. */
export function clockTime(iso: string, timeZone: string): string {
  const wall = zone(timeZone).wallTime(new Date(iso));
  const pad = (n: number) => String(n).padStart(2, "0");
  // New York time reads "ET" (the trader's word for it); any other zone keeps its name.
  return `${pad(wall.hour)}:${pad(wall.minute)} ${timeZone === "America/New_York" ? "ET" : timeZone}`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Tells the chat who decided and what came of it. */
export function decidedAlert(
  approval: ApprovalRecord,
  outcome: "executed" | "failed" | "rejected",
  text: string,
): ApprovalAlert {
  return {
    type: "approval-decided",
    approvalId: approval.id,
    kind: approval.kind,
    summary: approval.summary,
    verdict: outcome === "rejected" ? "reject" : "approve",
    decidedBy: approval.decided_by ?? "unknown",
    outcome,
    text,
    chatRef: approval.chat_ref,
  };
}

export function expiredAlert(approval: ApprovalRecord, atRisk?: string): ApprovalAlert {
  return {
    type: "approval-expired",
    approvalId: approval.id,
    kind: approval.kind,
    summary: approval.summary,
    expiredAt: approval.expires_at,
    chatRef: approval.chat_ref,
    ...(atRisk ? { atRisk } : {}),
  };
}

export function withdrawnAlert(approval: ApprovalRecord, reason: string): ApprovalAlert {
  return {
    type: "approval-withdrawn",
    approvalId: approval.id,
    kind: approval.kind,
    summary: approval.summary,
    reason,
    chatRef: approval.chat_ref,
  };
}
