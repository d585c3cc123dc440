// The bot_sessions table: one JSON text per grammY session key (a Telegram chat), so a pending choice
// survives a restart. It lives here, not in bot/, because the bot writes no SQL (DESIGN.md) and a chat's
// conversation state belongs with the rest of the user's Telegram link. The bot adapts it to grammY.

import { eq } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { botSessions } = schema;

/** Opaque text per key; the caller decides the encoding (the bot stores JSON). */
export type BotSessionStore = {
  read(key: string): string | undefined;
  write(key: string, value: string): void;
  delete(key: string): void;
  has(key: string): boolean;
};

export function createBotSessionStore(h: DbHandle, now: () => number = Date.now): BotSessionStore {
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
