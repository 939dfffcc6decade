import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from "discord.js";

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

/**
 * The Approve / Reject row to put under an approval. In a list every row sits below every
 * embed, so there the labels name the approval (`labelled`).
 */
export function approvalButtons(
  approvalId: string | number,
  nonce: string,
  labelled = false,
): APIActionRowComponent<APIButtonComponent> {
  const suffix = labelled ? ` ${approvalId}` : "";
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: `Approve${suffix}`,
        custom_id: buttonId(approvalId, nonce, "approve"),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: `Reject${suffix}`,
        custom_id: buttonId(approvalId, nonce, "reject"),
      },
    ],
  };
}
