import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIMessageTopLevelComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { ChatUser } from "./commands/types.js";
import { LIMITS, truncate } from "./limits.js";

export type Verdict = "approve" | "reject";

export interface ApprovalButton {
  approvalId: string;
  nonce: string;
  verdict: Verdict;
}

const PREFIX = "ap";
const MAX_CUSTOM_ID = 100;
const PART = /^[A-Za-z0-9_-]+$/;

/** `ap:<approvalId>:<nonce>:<approve|reject>`: the state stays in the database, the button carries only keys. */
export function buttonId(approvalId: string | number, nonce: string, verdict: Verdict): string {
  const id = String(approvalId);
  if (!PART.test(id) || !PART.test(nonce)) throw new Error("approval id and nonce must be [A-Za-z0-9_-]");
  const customId = `${PREFIX}:${id}:${nonce}:${verdict}`;
  if (customId.length > MAX_CUSTOM_ID) throw new Error(`button custom_id over ${MAX_CUSTOM_ID} characters`);
  return customId;
}

/** The approval behind a button, or null for any other custom_id. */
export function parseButtonId(customId: string): ApprovalButton | null {
  const [prefix, approvalId, nonce, verdict, ...rest] = customId.split(":");
  if (prefix !== PREFIX || rest.length > 0 || !approvalId || !nonce) return null;
  if (!PART.test(approvalId) || !PART.test(nonce)) return null;
  if (verdict !== "approve" && verdict !== "reject") return null;
  return { approvalId, nonce, verdict };
}

/** The Approve / Reject row to put under an approval post. */
export function approvalButtons(
  approvalId: string | number,
  nonce: string,
): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: "Approve",
        custom_id: buttonId(approvalId, nonce, "approve"),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: "Reject",
        custom_id: buttonId(approvalId, nonce, "reject"),
      },
    ],
  };
}

/**
 * What the approval service says about a click: "decided" (it acted on the verdict),
 * "closed" (expired or already decided: the buttons go away, the reason is shown) or
 * "refused" (e.g. a stale nonce: only the clicker is told, the post stays as it is).
 */
export type ApprovalClickResult =
  | { status: "decided"; note?: string }
  | { status: "closed"; reason: string }
  | { status: "refused"; reason: string };

/** Provided by the caller; the adapter has already checked that `user` is allowed. */
export interface ApprovalClickHandler {
  onApprovalClick(
    approvalId: string,
    nonce: string,
    verdict: Verdict,
    user: ChatUser,
  ): Promise<ApprovalClickResult>;
}

export const noApprovals: ApprovalClickHandler = {
  onApprovalClick: async () => ({
    status: "refused",
    reason: "Approvals are not available in this version of the bot.",
  }),
};

export function decisionLine(verdict: Verdict, user: ChatUser, now: Date, note?: string): string {
  const what = verdict === "approve" ? "Approved" : "Rejected";
  const at = `<t:${Math.floor(now.getTime() / 1000)}:f>`;
  return `${what} by <@${user.id}> (${user.name}) ${at}${note ? `: ${note}` : ""}`;
}

export interface PostParts {
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
}

/** The post with `line` added under its first embed (or its text) and every button disabled. */
export function closedPost(post: PostParts, line: string): PostParts {
  const [first, ...others] = post.embeds;
  const field = { name: "Decision", value: truncate(line, LIMITS.fieldValue) };
  return {
    content: first ? post.content : truncate(`${post.content}\n${line}`.trim(), LIMITS.content),
    embeds: first
      ? [{ ...first, fields: [...(first.fields ?? []), field].slice(-LIMITS.fields) }, ...others]
      : [],
    components: post.components.map((row) =>
      row.type === ComponentType.ActionRow
        ? { ...row, components: row.components.map((c) => ({ ...c, disabled: true })) }
        : row,
    ),
  };
}
