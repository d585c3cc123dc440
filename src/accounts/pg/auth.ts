// The sign-in store on Postgres (contract: ../auth-store.ts).

import type { PgClient } from "../../db";
import { schema } from "../../db";
import type { AuthStore, AuthUser } from "../auth-store";
import { cols } from "./sql";

/** The columns of an AuthUser, of `users` under alias `as` (the API key store joins them too). */
export const authCols = (as = "users") =>
  cols(schema.users, {
    as,
    only: [
      "id",
      "email",
      "passwordHash",
      "tier",
      "tierExpiresAt",
      "isAdmin",
      "emailVerifiedAt",
      "telegramId",
      "bannedAt",
      "lang",
    ],
  });

const AUTH = authCols();

export function createPgAuthStore(pg: PgClient): AuthStore {
  return {
    userByEmail: (email) =>
      pg.get<AuthUser>(`SELECT ${AUTH} FROM users WHERE lower(email) = lower($1) LIMIT 1`, [email]),
    userById: (id) => pg.get<AuthUser>(`SELECT ${AUTH} FROM users WHERE id = $1`, [id]),
    createUser: (email, passwordHash, now, extra = {}) =>
      pg.get<AuthUser>(
        `INSERT INTO users (email, password_hash, created_at, last_seen_at, lang, is_admin, email_verified_at)
         VALUES ($1, $2, $3, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${AUTH}`,
        [email, passwordHash, now, extra.lang ?? "en", extra.isAdmin ?? false, extra.verifiedAt ?? null],
      ),
    setPasswordHash(userId, hash) {
      pg.run("UPDATE users SET password_hash = $2 WHERE id = $1", [userId, hash]);
    },
    markEmailVerified(userId, now) {
      pg.run("UPDATE users SET email_verified_at = $2 WHERE id = $1 AND email_verified_at IS NULL", [
        userId,
        now,
      ]);
    },
    setAdmin(userId) {
      pg.run("UPDATE users SET is_admin = true WHERE id = $1", [userId]);
    },
    insertSession(s) {
      pg.run(
        `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $3)`,
        [s.tokenHash, s.userId, s.createdAt, s.expiresAt, s.ip, s.userAgent],
      );
    },
    sessionUser(tokenHash, now) {
      const row = pg.get<AuthUser & { sessionId: number }>(
        `SELECT sessions.id AS "sessionId", ${AUTH} FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE sessions.token_hash = $1 AND sessions.expires_at > $2`,
        [tokenHash, now],
      );
      if (!row) return undefined;
      const { sessionId, ...user } = row;
      return { sessionId, user };
    },
    touchSession(sessionId, now) {
      pg.run("UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $3", [
        sessionId,
        now,
        now - 60_000,
      ]);
    },
    deleteSession(tokenHash) {
      pg.run("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
    },
    deleteUserSessions: (userId, keepId) =>
      keepId === null
        ? pg.run("DELETE FROM sessions WHERE user_id = $1", [userId])
        : pg.run("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", [userId, keepId]),
    deleteExpiredSessions: (now) => pg.run("DELETE FROM sessions WHERE expires_at <= $1", [now]),
  };
}
