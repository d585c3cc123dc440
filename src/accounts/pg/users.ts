// The users store on Postgres (raw SQL through the synchronous client; the contract is ../store.ts).

import type { PgClient, PgParam } from "../../db";
import { schema } from "../../db";
import { NO_TOTALS, type UserRow, type UserStore, type UserTotals } from "../store";
import { cols } from "./sql";

const USER = cols(schema.users);

export function createPgUserStore(pg: PgClient): UserStore {
  const one = (where: string, params: PgParam[], order = "") =>
    pg.get<UserRow>(`SELECT ${USER} FROM users WHERE ${where} ${order} LIMIT 1`, params);
  return {
    upsertTelegram(p, now) {
      const row = pg.get<UserRow>(
        `INSERT INTO users (telegram_id, telegram_username, lang, last_seen_at, created_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (telegram_id) DO UPDATE
           SET telegram_username = EXCLUDED.telegram_username, last_seen_at = EXCLUDED.last_seen_at, bot_blocked_at = NULL
         RETURNING ${USER}`,
        [p.telegramId, p.username, p.lang, now],
      );
      if (!row) throw new Error("store: unable to upsert telegram user");
      return row;
    },
    byId: (id) => one("id = $1", [id]),
    byTelegramId: (telegramId) => one("telegram_id = $1", [telegramId]),
    // SQLite sorts NULLs last in DESC order; Postgres first unless told.
    byUsername: (username) =>
      one("lower(telegram_username) = lower($1)", [username], "ORDER BY last_seen_at DESC NULLS LAST, id"),
    byEmail: (email) => one("lower(email) = lower($1)", [email]),
    setLang(userId, lang) {
      pg.run("UPDATE users SET lang = $2 WHERE id = $1", [userId, lang]);
    },
    setBan: (userId, ban) =>
      pg.get<UserRow>(`UPDATE users SET banned_at = $2, ban_reason = $3 WHERE id = $1 RETURNING ${USER}`, [
        userId,
        ban?.at ?? null,
        ban?.reason ?? null,
      ]),
    deleteSessionsOf: (userId) => pg.run("DELETE FROM sessions WHERE user_id = $1", [userId]),
    setBotBlocked(telegramId, at) {
      pg.run("UPDATE users SET bot_blocked_at = $2 WHERE telegram_id = $1", [telegramId, at]);
    },
    broadcastRecipients: () =>
      pg
        .all<{ t: string }>(
          `SELECT telegram_id AS t FROM users
           WHERE telegram_id IS NOT NULL AND banned_at IS NULL AND bot_blocked_at IS NULL ORDER BY id`,
        )
        .map((r) => r.t)
        .filter(Boolean),
    countSince(since) {
      const row = pg.get<{ new_users: number; active_users: number }>(
        `SELECT coalesce(sum(CASE WHEN created_at >= $1 THEN 1 ELSE 0 END), 0) AS new_users,
                coalesce(sum(CASE WHEN last_seen_at >= $1 THEN 1 ELSE 0 END), 0) AS active_users
         FROM users WHERE greatest(coalesce(last_seen_at, 0), created_at) >= $1`,
        [since],
      );
      return { new_users: row?.new_users ?? 0, active_users: row?.active_users ?? 0 };
    },
    ofDay(start, end) {
      const created = pg.get<{ n: number }>(
        "SELECT count(*) AS n FROM users WHERE created_at >= $1 AND created_at < $2",
        [start, end],
      );
      const seen = pg.all<{ id: number }>(
        "SELECT id FROM users WHERE last_seen_at >= $1 AND last_seen_at < $2",
        [start, end],
      );
      return { created: created?.n ?? 0, seenIds: seen.map((u) => u.id) };
    },
    totals(since, now) {
      const n = (cond: string) => `coalesce(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`;
      const row = pg.get<UserTotals>(
        `SELECT count(*) AS total,
                ${n("banned_at IS NOT NULL")} AS banned,
                ${n("tier <> 'free' AND (tier_expires_at IS NULL OR tier_expires_at > $2)")} AS subscribed,
                ${n("created_at >= $1")} AS new,
                ${n("coalesce(last_seen_at, 0) >= $1")} AS active
         FROM users WHERE merged_into IS NULL`,
        [since, now],
      );
      // One aggregate row always comes back (count and coalesce(sum) are never null).
      return row ?? NO_TOTALS;
    },
    insertFeedback(f, now) {
      const row = pg.get<{ id: number }>(
        `INSERT INTO feedback (job_public_id, user_id, owner_key, text, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [f.jobPublicId, f.userId, f.ownerKey, f.text, now],
      );
      return row?.id ?? 0;
    },
  };
}
