// The Telegram link's store on Postgres (contract: ../link-store.ts).

import type { PgClient } from "../../db";
import { schema } from "../../db";
import type { LinkCodeRow, LinkStore, LinkUser } from "../link-store";
import { atomicallyOn, cols } from "./sql";

const CODE = cols(schema.telegramLinkCodes);
const USER = cols(schema.users);

export function createPgLinkStore(pg: PgClient): LinkStore {
  return {
    putCode: (userId, codeHash, now, expiresAt) =>
      pg.tx(() => {
        pg.run("DELETE FROM telegram_link_codes WHERE user_id = $1 OR expires_at <= $2", [userId, now]);
        return (
          pg.run(
            `INSERT INTO telegram_link_codes (user_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING`,
            [userId, codeHash, now, expiresAt],
          ) === 1
        );
      }),
    liveCode: (codeHash, now, maxFailures) =>
      pg.get<LinkCodeRow>(
        `SELECT ${CODE} FROM telegram_link_codes WHERE code_hash = $1 AND expires_at > $2 AND failures < $3`,
        [codeHash, now, maxFailures],
      ),
    consumeCode: (id) => pg.run("DELETE FROM telegram_link_codes WHERE id = $1", [id]) === 1,
    recordFailure(userId, now, windowMs) {
      pg.tx(() => {
        pg.run("DELETE FROM telegram_link_failures WHERE user_id = $1 AND at < $2", [userId, now - windowMs]);
        pg.run("INSERT INTO telegram_link_failures (user_id, at) VALUES ($1, $2)", [userId, now]);
        pg.run("UPDATE telegram_link_codes SET failures = failures + 1 WHERE expires_at > $1", [now]);
      });
    },
    failuresSince: (userId, since) =>
      pg
        .all<{ at: number }>(
          "SELECT at FROM telegram_link_failures WHERE user_id = $1 AND at > $2 ORDER BY at",
          [userId, since],
        )
        .map((r) => r.at),
    user: (id) => pg.get<LinkUser>(`SELECT ${USER} FROM users WHERE id = $1`, [id]),
    mergeUsers(bot, web, tier) {
      pg.tx(() => {
        // telegram_id is unique: free it on the bot user before the web account takes it.
        pg.run(
          "UPDATE users SET telegram_id = NULL, merged_into = $2, tier = 'free', tier_expires_at = NULL WHERE id = $1",
          [bot.id, web.id],
        );
        pg.run(
          `UPDATE users SET telegram_id = $2, telegram_username = $3, bot_blocked_at = $4, tier = $5, tier_expires_at = $6
           WHERE id = $1`,
          [web.id, bot.telegramId, bot.telegramUsername, bot.botBlockedAt, tier.tier, tier.tierExpiresAt],
        );
      });
    },
    clearTelegram: (userId) =>
      pg.run(
        `UPDATE users SET telegram_id = NULL, telegram_username = NULL, bot_blocked_at = NULL
         WHERE id = $1 AND telegram_id IS NOT NULL`,
        [userId],
      ) === 1,
    atomically: atomicallyOn(pg),
  };
}
