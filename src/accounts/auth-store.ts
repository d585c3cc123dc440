// The sign-in store: users' credentials and the sessions table. The narrow AuthStore interface is what the
// auth service needs; ./sqlite/auth.ts implements it on SQLite, a Postgres backend the same few methods.

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
