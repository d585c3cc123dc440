// The subscriptions store on Postgres (contract: ../subs-store.ts).

import type { PgClient } from "../../db";
import { schema } from "../../db";
import type { NewGrant, SubscriberRow, SubscriptionStore, TierGrantRow } from "../subs-store";
import { cols } from "./sql";

const GRANT = cols(schema.tierGrants);
const SUBSCRIBER = cols(schema.users, {
  only: [
    "id",
    "tier",
    "tierExpiresAt",
    "email",
    "emailVerifiedAt",
    "telegramId",
    "lang",
    "bannedAt",
    "botBlockedAt",
  ],
});
/** Tiers that never expire (the default ones). */
const PAID = "tier NOT IN ('free', 'guest') AND tier_expires_at IS NOT NULL";

export function createPgSubscriptionStore(pg: PgClient): SubscriptionStore {
  const insertGrant = (g: NewGrant) =>
    pg.run(
      `INSERT INTO tier_grants (user_id, tier, days, ref, actor, previous_tier, previous_expires_at, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        g.userId,
        g.tier,
        g.days,
        g.ref,
        g.actor,
        g.previousTier,
        g.previousExpiresAt,
        g.expiresAt,
        g.createdAt,
      ],
    );
  const setTier = (userId: number, tier: string, expiresAt: number | null) =>
    pg.run("UPDATE users SET tier = $2, tier_expires_at = $3 WHERE id = $1", [userId, tier, expiresAt]);
  return {
    findGrant(ref) {
      // Inside a transaction (extendTier's), two grants of one ref wait for each other here, so the second
      // sees the first as a replay, as SQLite's one-writer lock gives it; the unique ref stays the guard.
      if (pg.inTransaction) pg.run("SELECT pg_advisory_xact_lock(hashtext($1))", [`tier_grant:${ref}`]);
      return pg.get<TierGrantRow>(`SELECT ${GRANT} FROM tier_grants WHERE ref = $1`, [ref]);
    },
    applyGrant(g) {
      pg.tx(() => {
        insertGrant(g);
        setTier(g.userId, g.tier, g.expiresAt);
      });
    },
    recordShortening(g, user) {
      pg.tx(() => {
        insertGrant(g);
        if (user) setTier(g.userId, user.tier, user.expiresAt);
      });
    },
    paidExpiringBetween: (after, until) =>
      pg.all<SubscriberRow>(
        `SELECT ${SUBSCRIBER} FROM users WHERE ${PAID} AND tier_expires_at > $1 AND tier_expires_at <= $2 ORDER BY id`,
        [after, until],
      ),
    paidExpiredAt: (now) =>
      pg.all<SubscriberRow>(
        `SELECT ${SUBSCRIBER} FROM users WHERE ${PAID} AND tier_expires_at <= $1 ORDER BY id`,
        [now],
      ),
    expireTier: (userId, tier, expiresAt) =>
      pg.run(
        "UPDATE users SET tier = 'free', tier_expires_at = NULL WHERE id = $1 AND tier = $2 AND tier_expires_at = $3",
        [userId, tier, expiresAt],
      ) === 1,
    warningSent: (userId, expiresAt, channel) =>
      pg.get("SELECT id FROM tier_warnings WHERE user_id = $1 AND expires_at = $2 AND channel = $3", [
        userId,
        expiresAt,
        channel,
      ]) !== undefined,
    recordWarning: (w) =>
      pg.run(
        `INSERT INTO tier_warnings (user_id, expires_at, channel, sent_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [w.userId, w.expiresAt, w.channel, w.sentAt],
      ) === 1,
  };
}
