import { sql } from "kysely";
import { type Db, fromJson, iso, toJson } from "./db.js";
import type { AlertRow, AlertSeverity } from "./schema.js";

/** An outbox alert with its payload parsed. */
export type Alert = Omit<AlertRow, "payload"> & { payload: unknown };

export interface NewAlert {
  type: string;
  severity: AlertSeverity;
  payload: unknown;
}

function toAlert(row: AlertRow): Alert {
  return { ...row, payload: fromJson(row.payload) };
}

/** Writes an alert to the outbox, due at once. Call it in the transaction of the change that raised it. */
export async function enqueueAlert(db: Db, alert: NewAlert, now: Date): Promise<Alert> {
  const row = await db
    .insertInto("alerts")
    .values({
      type: alert.type,
      severity: alert.severity,
      payload: toJson(alert.payload),
      created_at: iso(now),
      next_attempt_at: iso(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAlert(row);
}

export async function markAlertDelivered(db: Db, id: number, now: Date, chatRef?: string): Promise<void> {
  await db
    .updateTable("alerts")
    .set({ delivered_at: iso(now), last_error: null, chat_ref: chatRef ?? null })
    .where("id", "=", id)
    .execute();
}

/** Counts the failed attempt and records when the dispatcher will try again. */
export async function markAlertFailed(db: Db, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .updateTable("alerts")
    .set({
      attempts: sql<number>`attempts + 1`,
      last_error: error,
      next_attempt_at: iso(nextAttemptAt),
    })
    .where("id", "=", id)
    .execute();
}

export async function undeliveredCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom("alerts")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("delivered_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function alertById(db: Db, id: number): Promise<Alert | undefined> {
  const row = await db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toAlert(row);
}

/** Undelivered alerts in the order they were raised, due or not: delivery must not overtake a failed one. */
export async function undeliveredAlerts(db: Db, limit = 50): Promise<Alert[]> {
  const rows = await db
    .selectFrom("alerts")
    .selectAll()
    .where("delivered_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toAlert);
}
