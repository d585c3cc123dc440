// The bot session store on SQLite.

import { eq } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { BotSessionStore } from "../bot-sessions";

const { botSessions } = schema;

export function createSqliteBotSessionStore(h: DbHandle, now: () => number = Date.now): BotSessionStore {
  return {
    read: (key) =>
      h.db.select({ value: botSessions.value }).from(botSessions).where(eq(botSessions.key, key)).get()
        ?.value,
    write(key, value) {
      h.db
        .insert(botSessions)
        .values({ key, value, updatedAt: now() })
        .onConflictDoUpdate({ target: botSessions.key, set: { value, updatedAt: now() } })
        .run();
    },
    delete(key) {
      h.db.delete(botSessions).where(eq(botSessions.key, key)).run();
    },
    has: (key) =>
      h.db.select({ key: botSessions.key }).from(botSessions).where(eq(botSessions.key, key)).get() !==
      undefined,
  };
}
