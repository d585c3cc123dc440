// The subscriptions store on SQLite.

import { and, eq, gt, isNotNull, lte, notInArray } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { SubscriberRow, SubscriptionStore } from "../subs-store";

const { users, tierGrants, tierWarnings } = schema;

/** Tiers that never expire (the default ones). */
const UNPAID = ["free", "guest"];

const subscriber = {
  id: users.id,
  tier: users.tier,
  tierExpiresAt: users.tierExpiresAt,
  email: users.email,
  emailVerifiedAt: users.emailVerifiedAt,
  telegramId: users.telegramId,
  lang: users.lang,
  bannedAt: users.bannedAt,
  botBlockedAt: users.botBlockedAt,
};

export function createSqliteSubscriptionStore(h: DbHandle): SubscriptionStore {
  const db = h.db;
  const setTier = (userId: number, tier: string, expiresAt: number | null) =>
    db.update(users).set({ tier, tierExpiresAt: expiresAt }).where(eq(users.id, userId)).run();
  return {
    findGrant: (ref) => db.select().from(tierGrants).where(eq(tierGrants.ref, ref)).get(),
    applyGrant(g) {
      db.insert(tierGrants).values(g).run();
      setTier(g.userId, g.tier, g.expiresAt);
    },
    recordShortening(g, user) {
      db.insert(tierGrants).values(g).run();
      if (user) setTier(g.userId, user.tier, user.expiresAt);
    },
    paidExpiringBetween: (after, until) =>
      db
        .select(subscriber)
        .from(users)
        .where(
          and(
            notInArray(users.tier, UNPAID),
            isNotNull(users.tierExpiresAt),
            gt(users.tierExpiresAt, after),
            lte(users.tierExpiresAt, until),
          ),
        )
        .orderBy(users.id)
        .all() as SubscriberRow[],
    paidExpiredAt: (now) =>
      db
        .select(subscriber)
        .from(users)
        .where(
          and(notInArray(users.tier, UNPAID), isNotNull(users.tierExpiresAt), lte(users.tierExpiresAt, now)),
        )
        .orderBy(users.id)
        .all() as SubscriberRow[],
    expireTier: (userId, tier, expiresAt) =>
      db
        .update(users)
        .set({ tier: "free", tierExpiresAt: null })
        .where(and(eq(users.id, userId), eq(users.tier, tier), eq(users.tierExpiresAt, expiresAt)))
        .returning({ id: users.id })
        .all().length === 1,
    warningSent: (userId, expiresAt, channel) =>
      db
        .select({ id: tierWarnings.id })
        .from(tierWarnings)
        .where(
          and(
            eq(tierWarnings.userId, userId),
            eq(tierWarnings.expiresAt, expiresAt),
            eq(tierWarnings.channel, channel),
          ),
        )
        .get() !== undefined,
    recordWarning: (w) =>
      db.insert(tierWarnings).values(w).onConflictDoNothing().returning({ id: tierWarnings.id }).all()
        .length === 1,
  };
}
