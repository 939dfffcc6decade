import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationError, openDatabase } from "../../src/store/database.js";
import { migrations } from "../../src/store/migrations/index.js";
import { insertPosition } from "../../src/store/positions.js";
import { holdWriteLock } from "../support/write-lock.js";
import { spyPut, T0 } from "./fixtures.js";

const TABLES = [
  "alerts",
  "approvals",
  "audit_events",
  "entry_runs",
  "executions",
  "orders",
  "positions",
  "settings",
  "trades",
  "trading_days",
];

describe("openDatabase", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the migrations on an in-memory database", async () => {
    const { db, close } = await openDatabase(":memory:");
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name).sort()).toEqual(TABLES);
    await close();
    await close();
  });

  it("creates the parent directory and turns on WAL, foreign keys and a busy timeout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradewarden-store-"));
    dirs.push(dir);
    const path = join(dir, "nested", "deeper", "test.db");
    const { db, close } = await openDatabase(path);
    try {
      const journal = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
      const foreignKeys = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
      const busy = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(db);
      expect(journal.rows[0]?.journal_mode).toBe("wal");
      expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
      expect(busy.rows[0]?.timeout).toBe(5000);
    } finally {
      await close();
    }
  });

  it("a transaction that reads, then writes, waits for another writer instead of failing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradewarden-store-"));
    dirs.push(dir);
    const path = join(dir, "test.db");
    const { db, close } = await openDatabase(path);
    try {
      const lock = holdWriteLock(path, 200);
      await lock.locked;
      const inserted = await db.transaction().execute(async (trx) => {
        await trx.selectFrom("positions").selectAll().execute();
        return insertPosition(trx, spyPut, T0);
      });
      await lock.done;
      expect(await db.selectFrom("positions").select("id").execute()).toEqual([{ id: inserted.id }]);
    } finally {
      await close();
    }
  });

  it("keeps data across reopening and does not rerun migrations", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tradewarden-store-"));
    dirs.push(dir);
    const path = join(dir, "test.db");
    const first = await openDatabase(path);
    await insertPosition(first.db, spyPut, T0);
    await first.close();

    const second = await openDatabase(path);
    const rows = await second.db.selectFrom("positions").selectAll().execute();
    const applied = await second.db
      .selectFrom("kysely_migration" as never)
      .selectAll()
      .execute();
    await second.close();
    expect(rows).toHaveLength(1);
    expect(applied).toHaveLength(Object.keys(migrations).length);
  });

  it("enforces foreign keys", async () => {
    const { db, close } = await openDatabase(":memory:");
    await expect(
      db
        .insertInto("trades")
        .values({
          position_id: 999,
          quantity: -1,
          entry_price: 6.16,
          exit_price: 2.46,
          pnl: 370,
          commission: 0,
          reason: "tp",
          opened_at: T0.toISOString(),
          closed_at: T0.toISOString(),
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
    await close();
  });

  it("names the migration that failed", async () => {
    const broken = {
      ...migrations,
      "002_broken": {
        up: async () => {
          throw new Error("no such table: nowhere");
        },
      },
    };
    const opening = openDatabase(":memory:", { migrations: broken });
    await expect(opening).rejects.toBeInstanceOf(MigrationError);
    await expect(opening).rejects.toThrow('Database migration "002_broken" failed: no such table: nowhere');
  });
});
