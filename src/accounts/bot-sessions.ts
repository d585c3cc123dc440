// The bot_sessions table: one JSON text per grammY session key (a Telegram chat), so a pending choice
// survives a restart. It lives here, not in bot/, because the bot writes no SQL (DESIGN.md) and a chat's
// conversation state belongs with the rest of the user's Telegram link. The bot adapts it to grammY.
// SQLite: ./sqlite/bot-sessions.ts.

/** Opaque text per key; the caller decides the encoding (the bot stores JSON). */
export type BotSessionStore = {
  read(key: string): string | undefined;
  write(key: string, value: string): void;
  delete(key: string): void;
  has(key: string): boolean;
};
