// The only SQL the bot owns: the grammY session rows (bot_sessions). Admin reports over jobs live in
// src/jobs/reports.ts (jobReports).

import { eq } from "drizzle-orm";
import type { StorageAdapter } from "grammy";
import { type DbHandle, schema } from "../db";

const { botSessions } = schema;

/**
 * grammY's session storage on SQLite: one JSON row per session key, so a pending choice survives a restart.
 * Values hold only small choices and Telegram file ids, never file bytes.
 */
export function sqliteSessionStorage<T>(h: DbHandle, now: () => number = Date.now): StorageAdapter<T> {
  return {
    read(key) {
      const row = h.db
        .select({ value: botSessions.value })
        .from(botSessions)
        .where(eq(botSessions.key, key))
        .get();
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as T;
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      const json = JSON.stringify(value);
      h.db
        .insert(botSessions)
        .values({ key, value: json, updatedAt: now() })
        .onConflictDoUpdate({ target: botSessions.key, set: { value: json, updatedAt: now() } })
        .run();
    },
    delete(key) {
      h.db.delete(botSessions).where(eq(botSessions.key, key)).run();
    },
    has(key) {
      return (
        h.db.select({ key: botSessions.key }).from(botSessions).where(eq(botSessions.key, key)).get() !==
        undefined
      );
    },
  };
}
