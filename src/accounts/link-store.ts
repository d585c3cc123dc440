// The Telegram link's store: live codes, wrong-code failures of web accounts, and the user-row side of a
// merge (telegram_id moving from the bot user to the web account). Rows in, rows out; policy lives in
// telegram-link.ts. SQLite: ./sqlite/link.ts.

import type { schema } from "../db";

export type LinkCodeRow = typeof schema.telegramLinkCodes.$inferSelect;
export type LinkUser = typeof schema.users.$inferSelect;

export interface LinkStore {
  /**
   * Replaces the user's code (and drops every expired one); false when `codeHash` collides with another
   * live code (the caller draws a new code).
   */
  putCode(userId: number, codeHash: string, now: number, expiresAt: number): boolean;
  /** The live code with this hash: not expired, fewer than `maxFailures` wrong tries during its life. */
  liveCode(codeHash: string, now: number, maxFailures: number): LinkCodeRow | undefined;
  /** Deletes the code row; false when it was already gone (used by a concurrent request). */
  consumeCode(id: number): boolean;
  /** One wrong code: a failure row for the web account and a strike on every live code. */
  recordFailure(userId: number, now: number, windowMs: number): void;
  /** The web account's failures since `since`, oldest first (their times). */
  failuresSince(userId: number, since: number): number[];
  user(id: number): LinkUser | undefined;
  /** Moves the Telegram identity from `bot` to `web` and marks `bot` merged; tier fields as given. */
  mergeUsers(bot: LinkUser, web: LinkUser, tier: { tier: string; tierExpiresAt: number | null }): void;
  /** Clears the web account's Telegram identity; false when it had none. */
  clearTelegram(userId: number): boolean;
  /** Runs fn in one write transaction (or inside the open one). */
  atomically<T>(fn: () => T): T;
}
