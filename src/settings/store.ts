// The settings table behind one interface: one JSON value per key, stored as JSON text. Parsing and
// defaults belong to index.ts / runtime.ts, not here. Two implementations: SQLite (sqlite-store.ts) and
// Postgres (pg-store.ts); createSettingsStore picks the one of the Backend.

import type { AuditEntry, Backend } from "../db";
import { createPgSettingsStore } from "./pg-store";
import { createSqliteSettingsStore } from "./sqlite-store";

export type SettingRow = { key: string; value: string; updatedAt: number };

export interface SettingsStore {
  /** The raw JSON text stored under `key`, or undefined when the key was never written. */
  read(key: string): SettingRow | undefined;
  /** Every row whose key starts with `prefix` (e.g. "flag:"), ordered by key (byte order). */
  list(prefix: string): SettingRow[];
  /** Inserts or replaces the value of `key` (one statement, so concurrent writers never see half a row). */
  write(key: string, json: string, now: number): void;
  /** Appends an operator's change to the audit log of the same database. */
  audit(e: AuditEntry): void;
}

export function createSettingsStore(b: Backend): SettingsStore {
  return b.kind === "postgres" ? createPgSettingsStore(b.pg) : createSqliteSettingsStore(b.dbh.db);
}
