import type { ApprovalKind, Db } from "../../store/index.js";
import type { Verdict } from "./approval-alerts.js";
import type { ApprovalRecord } from "./approval-record.js";
import type { RefusalReason } from "./refusals.js";

export interface ApprovalRequest {
  kind: ApprovalKind;
  /** Kept for the effect; must survive JSON. */
  payload: unknown;
  /** "schedule", "console" or "discord:<userId>". */
  requestedBy: string;
  /** One line shown with the buttons, e.g. "Place today's entry now?". */
  summary: string;
  /** The approval expires at the earlier of this and now + the TTL (e.g. the entry window's end). */
  notAfter?: Date;
}

export interface EffectResult {
  /** One line for the chat, e.g. "Entry placed for 2026-02-04 (order tw:entry:2026-02-04:SPY-P)." */
  text: string;
  /** Stored in the approval's result. */
  data?: unknown;
}

/** Runs once, when an approval of its kind is approved; throw (with a message for people) to fail. */
export type ApprovalEffect = (approval: ApprovalRecord) => Promise<EffectResult>;

export interface EffectHooks {
  /** Runs in the transaction that rejects or expires an approval of this kind. */
  onClosed?(trx: Db, approval: ApprovalRecord, how: "rejected" | "expired"): Promise<void>;
  /** What is still at risk when an approval of this kind expires unanswered (said in the expiry post). */
  atRisk?(approval: ApprovalRecord): Promise<string | undefined>;
}

export interface Caller {
  /** "console" or "discord:<userId>". */
  actor: string;
  /** The adapter's allow-list verdict for this actor. */
  authorized: boolean;
}

export type DecisionResult =
  | {
      ok: true;
      approval: ApprovalRecord;
      verdict: Verdict;
      outcome: "executed" | "failed" | "rejected";
      text: string;
    }
  | {
      ok: false;
      reason: RefusalReason;
      message: string;
      /** Expired or already decided: adapters remove the buttons. Otherwise only the caller is told. */
      settled: boolean;
    };
