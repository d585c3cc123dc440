// The settings store on SQLite (contract: store.ts).

import { eq, sql } from "drizzle-orm";
import { type Db, recordAudit, schema } from "../db";
import type { SettingsStore } from "./store";

const { settings } = schema;
const COLUMNS = { key: settings.key, value: settings.value, updatedAt: settings.updatedAt };

export function createSqliteSettingsStore(db: Db): SettingsStore {
  return {
    read: (key) => db.select(COLUMNS).from(settings).where(eq(settings.key, key)).get(),
    list: (prefix) =>
      db
        .select(COLUMNS)
        .from(settings)
        // substr instead of LIKE: flag names may contain "_", which LIKE treats as a wildcard.
        .where(sql`substr(${settings.key}, 1, ${prefix.length}) = ${prefix}`)
        .orderBy(settings.key)
        .all(),
    write(key, json, now) {
      db.insert(settings)
        .values({ key, value: json, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: now } })
        .run();
    },
    audit: (e) => recordAudit(db, e),
  };
}
