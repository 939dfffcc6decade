import type { APIEmbed, APIEmbedField } from "discord.js";
import type { PendingApproval } from "../../../trading/approvals/approval-record.js";
import { joinLines, LIMITS } from "../limits.js";
import { traderTime } from "../style.js";

/** A plain-text view from `views.ts` (one item a line) as an embed; a long list ends in "…and N more". */
export function viewEmbed(title: string, text: string, color: number): APIEmbed {
  return { title, description: joinLines(text.split("\n"), LIMITS.description), color };
}

/** Where to decide an approval a command just asked for: its post carries the buttons. */
export function approvalField(approval: PendingApproval): APIEmbedField {
  return {
    name: `Approval ${approval.id}`,
    value:
      `Nothing is sent until someone approves: use Approve or Reject on the approval post in the ` +
      `alerts channel, or /approvals. Expires ${traderTime(approval.expiresAt, "t")}.`,
  };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
