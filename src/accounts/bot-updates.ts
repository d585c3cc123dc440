// The bot_updates table: Telegram update ids the bot has claimed (before a text command runs) or finished
// (after a file or button handler succeeded). Several nodes take turns leading the bot; an update a dead
// leader handled but never confirmed is given again to the next one, and this is how it knows. It lives
// beside bot_sessions because the bot writes no SQL. SQLite: ./sqlite/bot-updates.ts, Postgres: ./pg/.

export type BotUpdateStore = {
  /** Inserts the id; true when this call inserted it, false when it was already there (a replay). */
  claim(updateId: number, at: number): boolean;
  /** The id was claimed or recorded before. */
  seen(updateId: number): boolean;
  /** Deletes rows handled before `before`; returns how many. */
  prune(before: number): number;
};
