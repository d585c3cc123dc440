// SQL for accounts: users (Telegram link, language, bans, bot-blocked flag) and user feedback.
// The only file in accounts/ that touches drizzle; it returns rows or undefined and never decides policy.

import { and, desc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { users, feedback, sessions } = schema;

export type UserRow = typeof users.$inferSelect;

export type TelegramProfile = { telegramId: string; username: string | null; lang: "ru" | "en" };

/**
 * Inserts the Telegram user or refreshes username and last_seen_at. `lang` is only written on insert:
 * a language the user picked with /lang must survive their next message. Writing again also clears
 * bot_blocked_at (they can only write if they unblocked us).
 */
export function upsertTelegramUser(h: DbHandle, p: TelegramProfile, now: number): UserRow {
  const rows = h.db
    .insert(users)
    .values({
      telegramId: p.telegramId,
      telegramUsername: p.username,
      lang: p.lang,
      lastSeenAt: now,
      createdAt: now,
    })
    .onConflictDoUpdate({
      target: users.telegramId,
      set: { telegramUsername: p.username, lastSeenAt: now, botBlockedAt: null },
    })
    .returning()
    .all();
  const row = rows[0];
  if (!row) throw new Error("store: unable to upsert telegram user");
  return row;
}

export function findUserById(h: DbHandle, id: number): UserRow | undefined {
  return h.db.select().from(users).where(eq(users.id, id)).get();
}

export function findUserByTelegramId(h: DbHandle, telegramId: string): UserRow | undefined {
  return h.db.select().from(users).where(eq(users.telegramId, telegramId)).get();
}

/** Case-insensitive match on the Telegram username (without "@"). */
export function findUserByUsername(h: DbHandle, username: string): UserRow | undefined {
  return h.db
    .select()
    .from(users)
    .where(sql`lower(${users.telegramUsername}) = lower(${username})`)
    .orderBy(desc(users.lastSeenAt))
    .get();
}

export function findUserByEmail(h: DbHandle, email: string): UserRow | undefined {
  return h.db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).get();
}

export function setUserLang(h: DbHandle, userId: number, lang: "ru" | "en"): void {
  h.db.update(users).set({ lang }).where(eq(users.id, userId)).run();
}

/** Sets (reason + time) or clears (null) the ban. Returns the updated row. */
export function setUserBan(
  h: DbHandle,
  userId: number,
  ban: { at: number; reason: string } | null,
): UserRow | undefined {
  return h.db
    .update(users)
    .set({ bannedAt: ban?.at ?? null, banReason: ban?.reason ?? null })
    .where(eq(users.id, userId))
    .returning()
    .get();
}

/** Ends every sign-in session of the user (a ban: they must not come back with an unban). */
export function deleteSessionsOfUser(h: DbHandle, userId: number): number {
  return h.db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id }).all().length;
}

/** Marks (time) or clears (null) "this user blocked the bot". */
export function setBotBlocked(h: DbHandle, telegramId: string, at: number | null): void {
  h.db.update(users).set({ botBlockedAt: at }).where(eq(users.telegramId, telegramId)).run();
}

/** Telegram ids a broadcast may go to: linked, not banned, not known to have blocked the bot. */
export function listBroadcastRecipients(h: DbHandle): string[] {
  return h.db
    .select({ telegramId: users.telegramId })
    .from(users)
    .where(and(sql`${users.telegramId} is not null`, isNull(users.bannedAt), isNull(users.botBlockedAt)))
    .orderBy(users.id)
    .all()
    .map((r) => r.telegramId ?? "")
    .filter(Boolean);
}

/** Users created / seen since `since` (unix ms). */
export function countUsersSince(h: DbHandle, since: number): { new_users: number; active_users: number } {
  const row = h.db
    .select({
      new_users: sql<number>`coalesce(sum(case when ${users.createdAt} >= ${since} then 1 else 0 end), 0)`,
      active_users: sql<number>`coalesce(sum(case when ${users.lastSeenAt} >= ${since} then 1 else 0 end), 0)`,
    })
    .from(users)
    .where(gte(sql`max(coalesce(${users.lastSeenAt}, 0), ${users.createdAt})`, since))
    .get();
  return { new_users: row?.new_users ?? 0, active_users: row?.active_users ?? 0 };
}

export type FeedbackInput = {
  jobPublicId: string | null;
  userId: number | null;
  ownerKey: string;
  text: string;
};

export function insertFeedback(h: DbHandle, f: FeedbackInput, now: number): number {
  const row = h.db
    .insert(feedback)
    .values({
      jobPublicId: f.jobPublicId,
      userId: f.userId,
      ownerKey: f.ownerKey,
      text: f.text,
      createdAt: now,
    })
    .returning({ id: feedback.id })
    .get();
  return row?.id ?? 0;
}

/** Users created in [start, end) and the ids of those seen in it (the daily statistics). */
export function usersOfDay(h: DbHandle, start: number, end: number): { created: number; seenIds: number[] } {
  const created = h.db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(gte(users.createdAt, start), lt(users.createdAt, end)))
    .get();
  const seen = h.db
    .select({ id: users.id })
    .from(users)
    .where(and(gte(users.lastSeenAt, start), lt(users.lastSeenAt, end)))
    .all();
  return { created: created?.n ?? 0, seenIds: seen.map((u) => u.id) };
}
