// The admin panel's user store on Postgres (contract: ../admin-store.ts).

import type { PgClient, PgParam } from "../../db";
import { schema } from "../../db";
import type { AdminUserStore, KeyLine, ReferralLine, SessionLine, UserFilter } from "../admin-store";
import type { UserRow } from "../store";
import { cols, IN_IDS, idList } from "./sql";

const USER = cols(schema.users);
const SESSION = cols(schema.sessions, {
  only: ["id", "userId", "createdAt", "expiresAt", "lastSeenAt", "ip", "userAgent"],
});
const KEY = cols(schema.apiKeys, {
  only: ["id", "userId", "prefix", "name", "createdAt", "lastUsedAt", "revokedAt"],
});

/** The WHERE of a filter and its parameters. strpos() instead of LIKE: typed text may hold "%" or "_". */
function where(f: UserFilter): { sql: string; params: PgParam[] } {
  const params: PgParam[] = [];
  const p = (v: PgParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts = ["merged_into IS NULL"];
  const match: string[] = [];
  if (f.text) {
    const needle = p(f.text.toLowerCase());
    match.push(
      `(strpos(lower(coalesce(email, '')), ${needle}) > 0 OR strpos(lower(coalesce(telegram_username, '')), ${needle}) > 0)`,
    );
  }
  if (f.telegramId) match.push(`telegram_id = ${p(f.telegramId)}`);
  if (f.ids) match.push(f.ids.length ? `id IN ${IN_IDS(p(idList(f.ids)))}` : "false");
  if (f.text !== undefined || f.telegramId !== undefined || f.ids !== undefined)
    parts.push(match.length ? `(${match.join(" OR ")})` : "false");
  if (f.tier) parts.push(`tier = ${p(f.tier)}`);
  if (f.banned !== undefined) parts.push(f.banned ? "banned_at IS NOT NULL" : "banned_at IS NULL");
  if (f.deleted !== undefined) parts.push(f.deleted ? "deleted_at IS NOT NULL" : "deleted_at IS NULL");
  if (f.onlyIds) parts.push(f.onlyIds.length ? `id IN ${IN_IDS(p(idList(f.onlyIds)))}` : "false");
  if (f.exceptIds?.length) parts.push(`id NOT IN ${IN_IDS(p(idList(f.exceptIds)))}`);
  return { sql: parts.join(" AND "), params };
}

export function createPgAdminUserStore(pg: PgClient): AdminUserStore {
  const endSessions = (userId: number, ids?: readonly number[]): number => {
    if (ids && ids.length === 0) return 0;
    return ids
      ? pg.run(`DELETE FROM sessions WHERE user_id = $1 AND id IN ${IN_IDS("$2")}`, [userId, idList(ids)])
      : pg.run("DELETE FROM sessions WHERE user_id = $1", [userId]);
  };
  const revokeKeys = (userId: number, at: number, ids?: readonly number[]): number => {
    if (ids && ids.length === 0) return 0;
    const mine = "user_id = $1 AND revoked_at IS NULL";
    return ids
      ? pg.run(`UPDATE api_keys SET revoked_at = $2 WHERE ${mine} AND id IN ${IN_IDS("$3")}`, [
          userId,
          at,
          idList(ids),
        ])
      : pg.run(`UPDATE api_keys SET revoked_at = $2 WHERE ${mine}`, [userId, at]);
  };
  const line = (on: "inviter_id" | "invitee_id") =>
    `SELECT users.id AS "userId", users.email AS "email", users.telegram_username AS "username",
            referrals.via AS "via", referrals.status AS "status", referrals.created_at AS "createdAt"
     FROM referrals JOIN users ON users.id = referrals.${on}`;
  return {
    search(f, limit, offset) {
      const w = where(f);
      const total = pg.get<{ n: number }>(`SELECT count(*) AS n FROM users WHERE ${w.sql}`, w.params)?.n ?? 0;
      const n = w.params.length;
      const rows = pg.all<UserRow>(
        `SELECT ${USER} FROM users WHERE ${w.sql} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...w.params, limit, offset],
      );
      return { rows, total };
    },
    sessionsOf: (userId) =>
      pg.all<SessionLine>(
        `SELECT ${SESSION} FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC, id DESC`,
        [userId],
      ),
    keysOf: (userId) =>
      pg.all<KeyLine>(`SELECT ${KEY} FROM api_keys WHERE user_id = $1 ORDER BY id DESC`, [userId]),
    endSessions,
    revokeKeys,
    referralsOf: (userId) => ({
      invitedBy:
        pg.get<ReferralLine>(`${line("inviter_id")} WHERE referrals.invitee_id = $1`, [userId]) ?? null,
      invited: pg.all<ReferralLine>(
        `${line("invitee_id")} WHERE referrals.inviter_id = $1 ORDER BY referrals.created_at DESC, referrals.id DESC`,
        [userId],
      ),
    }),
    mergedInto: (userId) =>
      pg.all<UserRow>(`SELECT ${USER} FROM users WHERE merged_into = $1 ORDER BY id`, [userId]),
    setTier: (userId, tier, expiresAt) =>
      pg.get<UserRow>(`UPDATE users SET tier = $2, tier_expires_at = $3 WHERE id = $1 RETURNING ${USER}`, [
        userId,
        tier,
        expiresAt,
      ]),
    anonymise: (userId, at) =>
      pg.tx(() => {
        const ended = endSessions(userId);
        const revoked = revokeKeys(userId, at);
        pg.run("DELETE FROM user_presets WHERE user_id = $1", [userId]);
        pg.run("DELETE FROM telegram_link_codes WHERE user_id = $1", [userId]);
        pg.run("DELETE FROM telegram_link_failures WHERE user_id = $1", [userId]);
        pg.run(
          `UPDATE users SET email = NULL, password_hash = NULL, email_verified_at = NULL, telegram_id = NULL,
             telegram_username = NULL, display_name = NULL, referral_code = NULL, is_admin = false, deleted_at = $2
           WHERE id = $1`,
          [userId, at],
        );
        return { sessions: ended, keys: revoked };
      }),
  };
}
