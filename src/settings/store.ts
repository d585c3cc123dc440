// Every SQL statement of runtime settings: one JSON value per key in the `settings` table.
// Values are stored as JSON text; parsing and defaults belong to index.ts, not here.

import { eq, sql } from "drizzle-orm";
import { type Db, schema } from "../db";

const { settings } = schema;

export type SettingRow = { key: string; value: string; updatedAt: number };

/** The raw JSON text stored under `key`, or undefined when the key was never written. */
export function readSetting(db: Db, key: string): SettingRow | undefined {
  return db
    .select({ key: settings.key, value: settings.value, updatedAt: settings.updatedAt })
    .from(settings)
    .where(eq(settings.key, key))
    .get();
}

/**
 * Every row whose key starts with `prefix` (e.g. "flag:"), ordered by key. substr rather than LIKE:
 * flag names contain "_", which LIKE would treat as a wildcard.
 */
export function listSettings(db: Db, prefix: string): SettingRow[] {
  return (
    db
      .select({ key: settings.key, value: settings.value, updatedAt: settings.updatedAt })
      .from(settings)
      // substr instead of LIKE: flag names may contain "_", which LIKE treats as a wildcard.
      .where(sql`substr(${settings.key}, 1, ${prefix.length}) = ${prefix}`)
      .orderBy(settings.key)
      .all()
  );
}

/** Inserts or replaces the value of `key` (one statement, so concurrent writers never see half a row). */
export function writeSetting(db: Db, key: string, json: string, now: number): void {
  db.insert(settings)
    .values({ key, value: json, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: now } })
    .run();
}
