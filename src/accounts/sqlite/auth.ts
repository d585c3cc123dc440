// The sign-in store on SQLite.

import { and, eq, gt, isNull, lt, lte, ne, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { AuthStore } from "../auth-store";

const { users, sessions } = schema;

/** The columns of an AuthUser (the API key store joins them too). */
export const authColumns = {
  id: users.id,
  email: users.email,
  passwordHash: users.passwordHash,
  tier: users.tier,
  tierExpiresAt: users.tierExpiresAt,
  isAdmin: users.isAdmin,
  emailVerifiedAt: users.emailVerifiedAt,
  telegramId: users.telegramId,
  bannedAt: users.bannedAt,
  lang: users.lang,
};

export function createSqliteAuthStore(h: DbHandle): AuthStore {
  const db = h.db;
  return {
    userByEmail: (email) =>
      db.select(authColumns).from(users).where(sql`lower(${users.email}) = lower(${email})`).get(),
    userById: (id) => db.select(authColumns).from(users).where(eq(users.id, id)).get(),
    createUser(email, passwordHash, now, extra = {}) {
      return db
        .insert(users)
        .values({
          email,
          passwordHash,
          createdAt: now,
          lastSeenAt: now,
          lang: extra.lang ?? "en",
          isAdmin: extra.isAdmin ?? false,
          emailVerifiedAt: extra.verifiedAt ?? null,
        })
        .onConflictDoNothing()
        .returning(authColumns)
        .get();
    },
    setPasswordHash(userId, hash) {
      db.update(users).set({ passwordHash: hash }).where(eq(users.id, userId)).run();
    },
    markEmailVerified(userId, now) {
      db.update(users)
        .set({ emailVerifiedAt: now })
        .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
        .run();
    },
    setAdmin(userId) {
      db.update(users).set({ isAdmin: true }).where(eq(users.id, userId)).run();
    },
    insertSession(s) {
      db.insert(sessions)
        .values({ ...s, lastSeenAt: s.createdAt })
        .run();
    },
    sessionUser(tokenHash, now) {
      const row = db
        .select({ sessionId: sessions.id, ...authColumns })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
        .get();
      if (!row) return undefined;
      const { sessionId, ...user } = row;
      return { sessionId, user };
    },
    touchSession(sessionId, now) {
      db.update(sessions)
        .set({ lastSeenAt: now })
        .where(and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, now - 60_000)))
        .run();
    },
    deleteSession(tokenHash) {
      db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
    },
    deleteUserSessions(userId, keepId) {
      const where =
        keepId === null
          ? eq(sessions.userId, userId)
          : and(eq(sessions.userId, userId), ne(sessions.id, keepId));
      return db.delete(sessions).where(where).returning({ id: sessions.id }).all().length;
    },
    deleteExpiredSessions(now) {
      return db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id }).all()
        .length;
    },
  };
}
