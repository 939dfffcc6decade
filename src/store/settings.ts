import { type Db, fromJson, iso, toJson } from "./db.js";

/** The stored value under `key`, or `fallback` when none. The caller owns the value's shape. */
export async function getSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row ? (fromJson(row.value) as T) : fallback;
}

export async function setSetting(db: Db, key: string, value: unknown, now: Date): Promise<void> {
  const values = { key, value: toJson(value), updated_at: iso(now) };
  await db
    .insertInto("settings")
    .values(values)
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: values.value, updated_at: values.updated_at }))
    .execute();
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.deleteFrom("settings").where("key", "=", key).execute();
}
