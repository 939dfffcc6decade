import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type Migration,
  Migrator,
  SqliteDialect,
} from "kysely";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Closes the connection; safe to call more than once. */
  close(): Promise<void>;
}

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      migrationName
        ? `Database migration "${migrationName}" failed: ${detail}`
        : `Database migrations could not run: ${detail}`,
      { cause },
    );
    this.name = "MigrationError";
  }
}

export interface OpenOptions {
  /** Replaces the real migrations; for tests of the migration machinery. */
  migrations?: Record<string, Migration>;
}

/** Opens (creating if needed) the SQLite database at `path` (or ":memory:") and brings its schema up to date. */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<DatabaseHandle> {
  const inMemory = path === ":memory:" || path === "";
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });

  const sqlite = new SQLite(inMemory ? ":memory:" : path);
  if (!inMemory) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");

  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db, options.migrations ?? migrations);
  } catch (err) {
    await db.destroy();
    throw err;
  }

  let closed = false;
  return {
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function migrateToLatest(db: Kysely<Database>, all: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => all } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new MigrationError(failed?.migrationName, error);
  }
}

/**
 * Transactions start with BEGIN IMMEDIATE: they take the write lock first, waiting busy_timeout
 * for another writer (a backup, the sqlite3 shell). A plain BEGIN that reads and then writes gets
 * SQLITE_BUSY at once instead of waiting, and an execution being recorded would fail.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    };
    return driver;
  }
}
