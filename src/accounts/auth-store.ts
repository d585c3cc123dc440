// SQL for sign-in: users' credentials and the sessions table. The narrow AuthStore interface is what the
// auth service needs, so a Postgres backend later implements these few methods and nothing else.

import { and, eq, gt, isNull, lt, lte, ne, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { users, sessions } = schema;

/** What sign-in reads about a user (never the whole row to the edges). */
export type AuthUser = {
  id: number;
  email: string | null;
  passwordHash: string | null;
  tier: string;
  tierExpiresAt: number | null;
  isAdmin: boolean;
  emailVerifiedAt: number | null;
  telegramId: string | null;
  bannedAt: number | null;
  /** The language mails to this user are written in. */
  lang: "ru" | "en";
};

export type NewSession = {
  tokenHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
};

export interface AuthStore {
  userByEmail(email: string): AuthUser | undefined;
  userById(id: number): AuthUser | undefined;
  /** Inserts a web user; undefined when the e-mail is taken (the unique index decides, race-free). */
  createUser(
    email: string,
    passwordHash: string,
    now: number,
    extra?: { lang?: "ru" | "en"; isAdmin?: boolean; verifiedAt?: number },
  ): AuthUser | undefined;
  setPasswordHash(userId: number, hash: string): void;
  /** Sets email_verified_at unless already set. */
  markEmailVerified(userId: number, now: number): void;
  setAdmin(userId: number): void;
  insertSession(s: NewSession): void;
  /** The live session's user: not expired at `now`. Ban is left to the service (one place decides). */
  sessionUser(tokenHash: string, now: number): { user: AuthUser; sessionId: number } | undefined;
  /** Refreshes last_seen_at at most once a minute per session (no write per request). */
  touchSession(sessionId: number, now: number): void;
  deleteSession(tokenHash: string): void;
  /** Ends every session of the user except `keepId` (null: all). Returns how many ended. */
  deleteUserSessions(userId: number, keepId: number | null): number;
  /** Deletes sessions no longer live at `now` (expires_at <= now, as sessionUser reads them). */
  deleteExpiredSessions(now: number): number;
}

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

export function createAuthStore(h: DbHandle): AuthStore {
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
