import { randomBytes, randomInt } from "node:crypto";
import { sql } from "kysely";
import { type Db, fromJson, iso, toJson } from "./db.js";
import type { ApprovalKind, ApprovalRow, ApprovalStatus } from "./schema.js";

/** An approval with its JSON columns parsed. */
export type Approval = Omit<ApprovalRow, "payload" | "result"> & { payload: unknown; result: unknown };

export type ApprovalVerdict = "approved" | "rejected";
export type ApprovalOutcome = "executed" | "failed";

export interface NewApproval {
  kind: ApprovalKind;
  payload: unknown;
  /** "schedule", "console" or "discord:<userId>". */
  requestedBy: string;
  expiresAt: Date;
  chatRef?: string | null;
  /** Normally generated; tests may fix them. */
  id?: string;
  nonce?: string;
}

// No 0/o, 1/l/i: the id may be typed by hand on the console.
const ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

// Ids are random, so ties on created_at fall back to SQLite's rowid: the order of insertion.
const insertionOrder = sql`rowid`;

export function newApprovalId(length = 8): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function newNonce(): string {
  return randomBytes(8).toString("hex");
}

function toApproval(row: ApprovalRow): Approval {
  return {
    ...row,
    payload: fromJson(row.payload),
    result: row.result === null ? null : fromJson(row.result),
  };
}

export async function createApproval(db: Db, approval: NewApproval, now: Date): Promise<Approval> {
  const row = await db
    .insertInto("approvals")
    .values({
      id: approval.id ?? newApprovalId(),
      kind: approval.kind,
      payload: toJson(approval.payload),
      requested_by: approval.requestedBy,
      nonce: approval.nonce ?? newNonce(),
      status: "pending",
      created_at: iso(now),
      expires_at: iso(approval.expiresAt),
      chat_ref: approval.chatRef ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApproval(row);
}

export async function approvalById(db: Db, id: string): Promise<Approval | undefined> {
  const row = await db.selectFrom("approvals").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toApproval(row);
}

/**
 * Decides a pending, unexpired approval whose nonce matches, in one UPDATE: of two simultaneous
 * clicks exactly one gets the row back; the other (and a wrong nonce, an expired or an already
 * decided approval) gets null. `explainUndecided` says which.
 */
export async function decideApproval(
  db: Db,
  id: string,
  nonce: string,
  verdict: ApprovalVerdict,
  actor: string,
  now: Date,
): Promise<Approval | null> {
  const row = await db
    .updateTable("approvals")
    .set({ status: verdict, decided_by: actor, decided_at: iso(now) })
    .where("id", "=", id)
    .where("nonce", "=", nonce)
    .where("status", "=", "pending")
    .where("expires_at", ">", iso(now))
    .returningAll()
    .executeTakeFirst();
  return row ? toApproval(row) : null;
}

export type UndecidedReason = "not-found" | "wrong-nonce" | "expired" | "withdrawn" | "already-decided";

/** Why decideApproval returned null, for a message to the user. */
export function explainUndecided(approval: Approval | undefined, nonce: string, now: Date): UndecidedReason {
  if (!approval) return "not-found";
  if (approval.nonce !== nonce) return "wrong-nonce";
  if (approval.status === "expired" || approval.status === "withdrawn") return approval.status;
  if (approval.status !== "pending") return "already-decided";
  return approval.expires_at <= iso(now) ? "expired" : "already-decided";
}

/** Records what happened after an approval was acted on; only an approved request can get an outcome. */
export async function markApprovalOutcome(
  db: Db,
  id: string,
  outcome: ApprovalOutcome,
  result: unknown,
): Promise<Approval | null> {
  const row = await db
    .updateTable("approvals")
    .set({ status: outcome, result: toJson(result) })
    .where("id", "=", id)
    .where("status", "=", "approved")
    .returningAll()
    .executeTakeFirst();
  return row ? toApproval(row) : null;
}

/** Marks every pending approval past its expiry as expired and returns them (to edit their messages). */
export async function expireApprovals(db: Db, now: Date): Promise<Approval[]> {
  const rows = await db
    .updateTable("approvals")
    .set({ status: "expired" })
    .where("status", "=", "pending")
    .where("expires_at", "<=", iso(now))
    .returningAll()
    .execute();
  return rows.map(toApproval).sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Closes a pending approval without a decision; undefined when it was no longer pending. */
export async function withdrawApproval(db: Db, id: string, reason: string): Promise<Approval | undefined> {
  const row = await db
    .updateTable("approvals")
    .set({ status: "withdrawn", result: toJson({ withdrawn: reason }) })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .returningAll()
    .executeTakeFirst();
  return row ? toApproval(row) : undefined;
}

/** Pending and not yet expired, oldest first. */
export async function pendingApprovals(db: Db, now: Date): Promise<Approval[]> {
  const rows = await db
    .selectFrom("approvals")
    .selectAll()
    .where("status", "=", "pending")
    .where("expires_at", ">", iso(now))
    .orderBy("created_at")
    .orderBy(insertionOrder)
    .execute();
  return rows.map(toApproval);
}

export async function approvalsInStatus(db: Db, status: ApprovalStatus, limit = 50): Promise<Approval[]> {
  const rows = await db
    .selectFrom("approvals")
    .selectAll()
    .where("status", "=", status)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(toApproval);
}

export async function setApprovalChatRef(db: Db, id: string, chatRef: string): Promise<void> {
  await db.updateTable("approvals").set({ chat_ref: chatRef }).where("id", "=", id).execute();
}
