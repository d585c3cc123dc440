// The settings store on Postgres (contract: store.ts). Keys are ordered with the "C" collation: byte
// order, as SQLite orders them, whatever collation the database was created with.

import { appendPgAudit, type PgClient } from "../db";
import type { SettingRow, SettingsStore } from "./store";

const COLUMNS = `key, value, updated_at AS "updatedAt"`;

export function createPgSettingsStore(pg: PgClient): SettingsStore {
  return {
    read: (key) => pg.get<SettingRow>(`SELECT ${COLUMNS} FROM settings WHERE key = $1`, [key]),
    // starts_with instead of LIKE: flag names may contain "_", which LIKE treats as a wildcard.
    list: (prefix) =>
      pg.all<SettingRow>(
        `SELECT ${COLUMNS} FROM settings WHERE starts_with(key, $1) ORDER BY key COLLATE "C"`,
        [prefix],
      ),
    write(key, json, now) {
      pg.run(
        `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, json, now],
      );
    },
    audit: (e) => appendPgAudit(pg, e),
  };
}
