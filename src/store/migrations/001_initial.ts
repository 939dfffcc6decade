import { type Kysely, sql } from "kysely";

// Frozen: a migration describes the schema as it was when written, so it never imports schema.ts.
// Enumerations are checked only where the outside world fixes them (P/C, BUY/SELL, BOT/SLD),
// because SQLite can only change a CHECK by rebuilding the table.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("positions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("strategy", "text", (c) => c.notNull())
    .addColumn("account", "text", (c) => c.notNull())
    .addColumn("con_id", "integer", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("sec_type", "text", (c) => c.notNull())
    .addColumn("expiry", "text", (c) => c.notNull())
    .addColumn("strike", "real", (c) => c.notNull())
    .addColumn("right", "text", (c) => c.notNull().check(sql`"right" in ('P', 'C')`))
    .addColumn("multiplier", "integer", (c) => c.notNull().defaultTo(100))
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("entry_price", "real", (c) => c.notNull())
    .addColumn("entry_order_ref", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addColumn("close_price", "real")
    .addColumn("close_reason", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("positions_status").on("positions").column("status").execute();

  await db.schema
    .createTable("orders")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("order_ref", "text", (c) => c.notNull().unique())
    .addColumn("intent", "text", (c) => c.notNull())
    .addColumn("position_id", "integer", (c) => c.references("positions.id"))
    .addColumn("strategy", "text")
    .addColumn("trading_day", "text")
    .addColumn("con_id", "integer", (c) => c.notNull())
    .addColumn("symbol", "text", (c) => c.notNull())
    .addColumn("sec_type", "text", (c) => c.notNull())
    .addColumn("expiry", "text", (c) => c.notNull())
    .addColumn("strike", "real", (c) => c.notNull())
    .addColumn("right", "text", (c) => c.notNull().check(sql`"right" in ('P', 'C')`))
    .addColumn("action", "text", (c) => c.notNull().check(sql`action in ('BUY', 'SELL')`))
    .addColumn("order_type", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn("limit_price", "real")
    .addColumn("aux_price", "real")
    .addColumn("tif", "text", (c) => c.notNull())
    .addColumn("oca_group", "text")
    .addColumn("broker_order_id", "integer")
    .addColumn("perm_id", "integer")
    .addColumn("client_id", "integer")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("filled_qty", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("avg_fill_price", "real")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  for (const column of ["position_id", "broker_order_id", "perm_id", "state"]) {
    await db.schema.createIndex(`orders_${column}`).on("orders").column(column).execute();
  }

  await db.schema
    .createTable("executions")
    .addColumn("exec_id", "text", (c) => c.primaryKey())
    .addColumn("order_ref", "text")
    .addColumn("order_id", "integer", (c) => c.references("orders.id"))
    .addColumn("broker_order_id", "integer", (c) => c.notNull())
    .addColumn("perm_id", "integer", (c) => c.notNull())
    .addColumn("con_id", "integer", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull().check(sql`side in ('BOT', 'SLD')`))
    .addColumn("shares", "real", (c) => c.notNull())
    .addColumn("price", "real", (c) => c.notNull())
    .addColumn("executed_at", "text", (c) => c.notNull())
    .addColumn("commission", "real")
    .addColumn("realized_pnl", "real")
    .addColumn("position_id", "integer", (c) => c.references("positions.id"))
    .addColumn("received_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("executions_executed_at").on("executions").column("executed_at").execute();
  await db.schema.createIndex("executions_order_id").on("executions").column("order_id").execute();

  await db.schema
    .createTable("trades")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("position_id", "integer", (c) => c.notNull().references("positions.id"))
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("entry_price", "real", (c) => c.notNull())
    .addColumn("exit_price", "real", (c) => c.notNull())
    .addColumn("pnl", "real", (c) => c.notNull())
    .addColumn("commission", "real", (c) => c.notNull().defaultTo(0))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("trades_closed_at").on("trades").column("closed_at").execute();

  await db.schema
    .createTable("approvals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_at", "text")
    .addColumn("result", "text")
    .addColumn("chat_ref", "text")
    .execute();
  await db.schema.createIndex("approvals_status").on("approvals").columns(["status", "expires_at"]).execute();

  await db.schema
    .createTable("alerts")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("delivered_at", "text")
    .addColumn("last_error", "text")
    .addColumn("chat_ref", "text")
    .execute();
  await db.schema
    .createIndex("alerts_due")
    .on("alerts")
    .columns(["delivered_at", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("trading_days")
    .addColumn("day", "text", (c) => c.primaryKey())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("open_at", "text")
    .addColumn("close_at", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("entry_runs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("strategy", "text", (c) => c.notNull())
    .addColumn("trading_day", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("order_ref", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("entry_runs_one_per_day", ["strategy", "trading_day"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "entry_runs",
    "trading_days",
    "settings",
    "audit_events",
    "alerts",
    "approvals",
    "trades",
    "executions",
    "orders",
    "positions",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
