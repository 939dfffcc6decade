import { type Db, fromJson, iso, toJson } from "./db.js";
import type { AuditEventRow } from "./schema.js";

export type AuditEvent = Omit<AuditEventRow, "detail"> & { detail: unknown };

/** Appends to the audit log. `actor` is "schedule", "console", "system" or "discord:<userId>". */
export async function audit(
  db: Db,
  actor: string,
  action: string,
  detail: unknown,
  now: Date,
): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({ at: iso(now), actor, action, detail: toJson(detail ?? {}) })
    .execute();
}

/** Newest first. */
export async function recentAuditEvents(db: Db, limit = 50): Promise<AuditEvent[]> {
  const rows = await db.selectFrom("audit_events").selectAll().orderBy("id", "desc").limit(limit).execute();
  return rows.map((row) => ({ ...row, detail: fromJson(row.detail) }));
}

/** Audit events at or after `since` whose action starts with `prefix`, oldest first. */
export async function auditEventsSince(db: Db, since: Date, prefix: string): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom("audit_events")
    .selectAll()
    .where("at", ">=", since.toISOString())
    .where("action", "like", `${prefix}%`)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ ...row, detail: fromJson(row.detail) }));
}
