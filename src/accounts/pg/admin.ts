// The admin panel's user store on Postgres (contract: ../admin-store.ts; what it shares with SQLite:
// ../admin-plan.ts).

import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgClient, PgParam } from "../../db";
import { schema } from "../../db";
import {
  ANONYMISED,
  KEY_LINE,
  PERSONAL_TABLES,
  SESSION_LINE,
  type UserCond,
  userConditions,
} from "../admin-plan";
import type { AdminUserStore, KeyLine, ReferralLine, SessionLine, UserFilter } from "../admin-store";
import type { UserRow } from "../store";
import { cols, IN_IDS, idList } from "./sql";

const USER = cols(schema.users);
const SESSION = cols(schema.sessions, { only: SESSION_LINE });
const KEY = cols(schema.apiKeys, { only: KEY_LINE });
const column = (key: keyof typeof schema.users.$inferSelect) => getTableColumns(schema.users)[key].name;
/** `email = NULL, …, is_admin = false`: the fields anonymising clears. */
const CLEARED = Object.entries(ANONYMISED)
  .map(([k, v]) => `${column(k as keyof typeof ANONYMISED)} = ${v === null ? "NULL" : String(v)}`)
  .join(", ");

/** The WHERE of a filter and its parameters. strpos() instead of LIKE: typed text may hold "%" or "_". */
function where(f: UserFilter): { sql: string; params: PgParam[] } {
  const params: PgParam[] = [];
  const p = (v: PgParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  const render = (c: UserCond): string => {
    switch (c.op) {
      case "text": {
        const needle = p(c.needle);
        return `(strpos(lower(coalesce(email, '')), ${needle}) > 0 OR strpos(lower(coalesce(telegram_username, '')), ${needle}) > 0)`;
      }
      case "eq":
        return `${column(c.field)} = ${p(c.value)}`;
      case "ids":
        return c.ids.length || c.not ? `id ${c.not ? "NOT IN" : "IN"} ${IN_IDS(p(idList(c.ids)))}` : "false";
      case "set":
        return `${column(c.field)} IS ${c.set ? "NOT NULL" : "NULL"}`;
      case "any":
        return c.of.length ? `(${c.of.map(render).join(" OR ")})` : "false";
    }
  };
  return { sql: userConditions(f).map(render).join(" AND "), params };
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
        for (const t of PERSONAL_TABLES)
          pg.run(`DELETE FROM ${getTableName(t)} WHERE user_id = $1`, [userId]);
        pg.run(`UPDATE users SET ${CLEARED}, deleted_at = $2 WHERE id = $1`, [userId, at]);
        return { sessions: ended, keys: revoked };
      }),
  };
}
