// The users store: the users table (Telegram link, language, bans, bot-blocked flag, head counts) and user
// feedback. An interface with no driver types: the SQLite implementation is ./sqlite/users.ts, a Postgres
// one implements the same methods. It returns rows or undefined and never decides policy.

import type { schema } from "../db";

export type UserRow = typeof schema.users.$inferSelect;

export type TelegramProfile = { telegramId: string; username: string | null; lang: "ru" | "en" };

export type FeedbackInput = {
  jobPublicId: string | null;
  userId: number | null;
  ownerKey: string;
  text: string;
};

export type UserTotals = {
  total: number;
  banned: number;
  /** Users on a paid tier (not "free") that has not expired (no expiry counts as in force). */
  subscribed: number;
  /** Created since the window's start. */
  new: number;
  /** Seen (signed in, used the bot or the API) since the window's start. */
  active: number;
};

/** The totals of an empty table. */
export const NO_TOTALS: UserTotals = { total: 0, banned: 0, subscribed: 0, new: 0, active: 0 };

export interface UserStore {
  /**
   * Inserts the Telegram user or refreshes username and last_seen_at. `lang` is only written on insert:
   * a language the user picked with /lang must survive their next message. Writing again also clears
   * bot_blocked_at (they can only write if they unblocked us).
   */
  upsertTelegram(p: TelegramProfile, now: number): UserRow;
  byId(id: number): UserRow | undefined;
  byTelegramId(telegramId: string): UserRow | undefined;
  /** Case-insensitive match on the Telegram username (without "@"); the most recently seen one. */
  byUsername(username: string): UserRow | undefined;
  /** Case-insensitive match on the e-mail. */
  byEmail(email: string): UserRow | undefined;
  setLang(userId: number, lang: "ru" | "en"): void;
  /** Sets (reason + time) or clears (null) the ban. Returns the updated row. */
  setBan(userId: number, ban: { at: number; reason: string } | null): UserRow | undefined;
  /** Ends every sign-in session of the user (a ban: they must not come back with an unban). */
  deleteSessionsOf(userId: number): number;
  /** Marks (time) or clears (null) "this user blocked the bot". */
  setBotBlocked(telegramId: string, at: number | null): void;
  /** Telegram ids a broadcast may go to: linked, not banned, not known to have blocked the bot; by id. */
  broadcastRecipients(): string[];
  /** Users created / seen since `since` (unix ms). */
  countSince(since: number): { new_users: number; active_users: number };
  /** Users created in [start, end) and the ids of those seen in it (the daily statistics). */
  ofDay(start: number, end: number): { created: number; seenIds: number[] };
  /**
   * Head counts for the admin dashboard at `now`, with a window of users created/seen since `since`.
   * Merged Telegram-only rows (merged_into set) are the same person as their web account: not counted.
   */
  totals(since: number, now: number): UserTotals;
  /** Stores one feedback text; its id. */
  insertFeedback(f: FeedbackInput, now: number): number;
}
