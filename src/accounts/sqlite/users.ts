// The users store on SQLite (drizzle over bun:sqlite).

import { and, desc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import { NO_TOTALS, type UserRow, type UserStore } from "../store";

const { users, feedback, sessions } = schema;

export function createSqliteUserStore(h: DbHandle): UserStore {
  const db = h.db;
  return {
    upsertTelegram(p, now) {
      const row = db
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
        .all()[0];
      if (!row) throw new Error("store: unable to upsert telegram user");
      return row;
    },
    byId: (id) => db.select().from(users).where(eq(users.id, id)).get(),
    byTelegramId: (telegramId) => db.select().from(users).where(eq(users.telegramId, telegramId)).get(),
    byUsername: (username) =>
      db
        .select()
        .from(users)
        .where(sql`lower(${users.telegramUsername}) = lower(${username})`)
        .orderBy(desc(users.lastSeenAt))
        .get(),
    byEmail: (email) => db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).get(),
    setLang(userId, lang) {
      db.update(users).set({ lang }).where(eq(users.id, userId)).run();
    },
    setBan: (userId, ban): UserRow | undefined =>
      db
        .update(users)
        .set({ bannedAt: ban?.at ?? null, banReason: ban?.reason ?? null })
        .where(eq(users.id, userId))
        .returning()
        .get(),
    deleteSessionsOf: (userId) =>
      db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id }).all().length,
    setBotBlocked(telegramId, at) {
      db.update(users).set({ botBlockedAt: at }).where(eq(users.telegramId, telegramId)).run();
    },
    broadcastRecipients: () =>
      db
        .select({ telegramId: users.telegramId })
        .from(users)
        .where(and(sql`${users.telegramId} is not null`, isNull(users.bannedAt), isNull(users.botBlockedAt)))
        .orderBy(users.id)
        .all()
        .map((r) => r.telegramId ?? "")
        .filter(Boolean),
    countSince(since) {
      const row = db
        .select({
          new_users: sql<number>`coalesce(sum(case when ${users.createdAt} >= ${since} then 1 else 0 end), 0)`,
          active_users: sql<number>`coalesce(sum(case when ${users.lastSeenAt} >= ${since} then 1 else 0 end), 0)`,
        })
        .from(users)
        .where(gte(sql`max(coalesce(${users.lastSeenAt}, 0), ${users.createdAt})`, since))
        .get();
      return { new_users: row?.new_users ?? 0, active_users: row?.active_users ?? 0 };
    },
    ofDay(start, end) {
      const created = db
        .select({ n: sql<number>`count(*)` })
        .from(users)
        .where(and(gte(users.createdAt, start), lt(users.createdAt, end)))
        .get();
      const seen = db
        .select({ id: users.id })
        .from(users)
        .where(and(gte(users.lastSeenAt, start), lt(users.lastSeenAt, end)))
        .all();
      return { created: created?.n ?? 0, seenIds: seen.map((u) => u.id) };
    },
    totals(since, now) {
      const n = (cond: ReturnType<typeof sql>) =>
        sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;
      const row = db
        .select({
          total: sql<number>`count(*)`,
          banned: n(sql`${users.bannedAt} is not null`),
          subscribed: n(
            sql`${users.tier} <> 'free' and (${users.tierExpiresAt} is null or ${users.tierExpiresAt} > ${now})`,
          ),
          new: n(sql`${users.createdAt} >= ${since}`),
          active: n(sql`coalesce(${users.lastSeenAt}, 0) >= ${since}`),
        })
        .from(users)
        .where(isNull(users.mergedInto))
        .get();
      // One aggregate row always comes back (count and coalesce(sum) are never null).
      return row ?? NO_TOTALS;
    },
    insertFeedback(f, now) {
      const row = db
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
    },
  };
}
