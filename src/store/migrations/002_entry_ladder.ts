import type { Kysely } from "kysely";

// An entry priced by the strategy steps its limit down a ladder; one whose price a trader set
// (/entry with a limit, strike or expiry) keeps it. The journal remembers which, so that a
// restarted bot resumes only the ladders it owns.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("orders")
    .addColumn("reprice", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("orders").dropColumn("reprice").execute();
}
