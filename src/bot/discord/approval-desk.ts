import type { Ops } from "../ops.js";
import { decisionLine } from "./approval-post.js";
import type { Verdict } from "./buttons.js";
import type { ChatUser } from "./commands/types.js";

export interface ApprovalClick {
  approvalId: string;
  nonce: string;
  verdict: Verdict;
  user: ChatUser;
  /** The adapter's allow-list verdict; an unauthorized click is only refused and audited. */
  authorized: boolean;
}

/**
 * What a click came to: "decided" (the post shows `line`), "closed" (expired or already
 * decided: its buttons go, the clicker is told why) or "refused" (e.g. a stale nonce: only
 * the clicker is told, the post stays as it is).
 */
export type ApprovalClickResult =
  | { status: "decided"; line: string }
  | { status: "closed"; reason: string }
  | { status: "refused"; reason: string };

/** Where the adapter takes approval clicks and records where each approval was posted. */
export interface ApprovalDesk {
  decide(click: ApprovalClick): Promise<ApprovalClickResult>;
  /** `chatRef` is "<channelId>/<messageId>"; the approval's later alerts carry it back. */
  recordPost(approvalId: string, chatRef: string): Promise<void>;
  /** The nonce on the approval's buttons, from the journal (to redraw them disabled); null if unknown. */
  nonceOf?(approvalId: string): Promise<string | null>;
}

/** The desk over the Ops facade: the approval service decides, audits and runs the effect. */
export function opsApprovalDesk(ops: Ops): ApprovalDesk {
  return {
    async decide({ approvalId, nonce, verdict, user, authorized }) {
      const d = await ops.trade.decide(approvalId, nonce, verdict, `discord:${user.id}`, authorized);
      if (d.ok) {
        return {
          status: "decided",
          line: decisionLine({ verdict: d.verdict, decidedBy: d.approval.decided_by, text: d.text }),
        };
      }
      return { status: d.settled ? "closed" : "refused", reason: d.message };
    },
    async recordPost(approvalId, chatRef) {
      await ops.trade.setChatRef(approvalId, chatRef);
    },
    nonceOf: (approvalId) => ops.trade.approvalNonce(approvalId),
  };
}
