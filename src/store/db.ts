import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

/** Every repository function takes either the database or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}

export function iso(time: Date): string {
  return time.toISOString();
}

export function toJson(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify(undefined) is undefined, which would violate NOT NULL; store null instead.
  return text === undefined ? "null" : text;
}

export function fromJson(text: string): unknown {
  return JSON.parse(text);
}
