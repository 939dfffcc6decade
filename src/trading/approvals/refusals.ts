import type { approvals } from "../../store/index.js";
import { clockTime, type Verdict } from "./approval-alerts.js";
import type { ApprovalRecord } from "./approval-record.js";

export type RefusalReason = "not-authorized" | approvals.UndecidedReason;

/** Why a decision was refused, in words for the person who tried. */
export function refusalMessage(
  reason: RefusalReason,
  id: string,
  verdict: Verdict,
  approval: ApprovalRecord | undefined,
  timeZone: string,
): string {
  switch (reason) {
    case "not-authorized":
      return `You are not allowed to ${verdict} approvals; ask someone on the bot's allow-list.`;
    case "not-found":
      return `There is no approval "${id}". /approvals lists the pending ones.`;
    case "wrong-nonce":
      return `This button does not match approval ${id} (an old or altered message); nothing was done. Use the latest post, or /approvals.`;
    case "expired": {
      const at = approval ? ` at ${clockTime(approval.expires_at, timeZone)}` : "";
      return `Approval ${id} expired${at}; nothing was done.`;
    }
    case "withdrawn": {
      const why = (approval?.result as { withdrawn?: string } | null)?.withdrawn;
      return `Approval ${id} was withdrawn${why ? `, ${why}` : ""}; nothing was done.`;
    }
    case "already-decided": {
      const status = approval?.status ?? "decided";
      const how = status === "rejected" ? "rejected" : "approved";
      const by = approval?.decided_by ? ` by ${approval.decided_by}` : "";
      const at = approval?.decided_at ? ` at ${clockTime(approval.decided_at, timeZone)}` : "";
      return `Approval ${id} was already ${how}${by}${at}.`;
    }
  }
}

/** A settled approval (expired, decided) has nothing left to click: adapters take its buttons away. */
export function isSettled(reason: RefusalReason): boolean {
  return reason === "expired" || reason === "withdrawn" || reason === "already-decided";
}
