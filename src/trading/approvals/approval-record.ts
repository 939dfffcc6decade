import type { approvals } from "../../store/index.js";

/**
 * An approval as services see it: the caller's payload and the one-line summary shown with it.
 * The approvals table has no summary column, so both are stored together in `payload`.
 */
export type ApprovalRecord = approvals.Approval & { summary: string };

/** What /approvals lists. */
export interface PendingApproval {
  id: string;
  /** For adapters that re-post the buttons. */
  nonce: string;
  kind: ApprovalRecord["kind"];
  summary: string;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  chatRef: string | null;
}

interface StoredPayload {
  summary: string;
  data: unknown;
}

export function storedPayload(summary: string, data: unknown): StoredPayload {
  return { summary, data: data ?? null };
}

export function toRecord(approval: approvals.Approval): ApprovalRecord {
  const stored = approval.payload;
  if (isStoredPayload(stored)) return { ...approval, payload: stored.data, summary: stored.summary };
  // Written by something other than the ApprovalService: show what there is.
  return { ...approval, summary: `${approval.kind} approval` };
}

export function toPending(record: ApprovalRecord): PendingApproval {
  return {
    id: record.id,
    nonce: record.nonce,
    kind: record.kind,
    summary: record.summary,
    requestedBy: record.requested_by,
    createdAt: record.created_at,
    expiresAt: record.expires_at,
    chatRef: record.chat_ref,
  };
}

function isStoredPayload(value: unknown): value is StoredPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { summary?: unknown }).summary === "string" &&
    "data" in value
  );
}
