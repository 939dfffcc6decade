import type { Kysely } from "kysely";

// IB corrects an execution by sending it again with the same execId up to its last period and a
// new suffix (…01.01 -> …01.02): the correction replaces the earlier one. `exec_key` is that
// prefix, so a correction finds the execution it replaces. A trade remembers the execution that
// closed it, so a late commission report or a correction can put its P&L right. An order keeps the
// trigger method of its stop (IB's triggerMethod), so a re-sent stop triggers as the first one did.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("executions").addColumn("exec_key", "text").execute();
  const rows = await db.selectFrom("executions").select("exec_id").execute();
  for (const { exec_id } of rows as Array<{ exec_id: string }>) {
    const cut = exec_id.lastIndexOf(".");
    await db
      .updateTable("executions")
      .set({ exec_key: cut > 0 ? exec_id.slice(0, cut) : exec_id })
      .where("exec_id", "=", exec_id)
      .execute();
  }
  await db.schema.createIndex("executions_exec_key").on("executions").column("exec_key").execute();
  await db.schema.alterTable("trades").addColumn("exec_id", "text").execute();
  await db.schema.alterTable("orders").addColumn("trigger_method", "integer").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("executions_exec_key").execute();
  await db.schema.alterTable("executions").dropColumn("exec_key").execute();
  await db.schema.alterTable("trades").dropColumn("exec_id").execute();
  await db.schema.alterTable("orders").dropColumn("trigger_method").execute();
}
