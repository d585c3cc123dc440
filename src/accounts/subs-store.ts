// SQL for subscriptions: tier grants (extendTier, idempotent on ref), expiring paid tiers back to free,
// and the warnings sent before an expiry. Rows in, rows out; the policy lives in subscriptions.ts.

import { and, eq, gt, isNotNull, lte, notInArray } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { users, tierGrants, tierWarnings } = schema;

export type TierGrantRow = typeof tierGrants.$inferSelect;
export type WarningChannel = (typeof tierWarnings.$inferSelect)["channel"];

/** Tiers that never expire (the default ones). */
const UNPAID = ["free", "guest"];

export function findGrant(h: DbHandle, ref: string): TierGrantRow | undefined {
  return h.db.select().from(tierGrants).where(eq(tierGrants.ref, ref)).get();
}

export type NewGrant = Omit<TierGrantRow, "id">;

/** Records the grant and sets the user's tier and expiry (the caller holds the transaction). */
export function applyGrant(h: DbHandle, g: NewGrant): void {
  h.db.insert(tierGrants).values(g).run();
  h.db.update(users).set({ tier: g.tier, tierExpiresAt: g.expiresAt }).where(eq(users.id, g.userId)).run();
}

/**
 * Records a shortening (negative days) and, when it applies, sets the user's tier and expiry (the caller
 * holds the transaction). Without `user` only the row is written: the user had moved on.
 */
export function recordShortening(
  h: DbHandle,
  g: NewGrant,
  user: { tier: string; expiresAt: number | null } | undefined,
): void {
  h.db.insert(tierGrants).values(g).run();
  if (user)
    h.db
      .update(users)
      .set({ tier: user.tier, tierExpiresAt: user.expiresAt })
      .where(eq(users.id, g.userId))
      .run();
}

export type SubscriberRow = {
  id: number;
  tier: string;
  tierExpiresAt: number;
  email: string | null;
  emailVerifiedAt: number | null;
  telegramId: string | null;
  lang: "ru" | "en";
  bannedAt: number | null;
  botBlockedAt: number | null;
};

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

/** Paid tiers whose expiry lies in (after, until]. */
export function paidExpiringBetween(h: DbHandle, after: number, until: number): SubscriberRow[] {
  return h.db
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
    .all() as SubscriberRow[];
}

/** Paid tiers expired at `now` (expiry ≤ now). */
export function paidExpiredAt(h: DbHandle, now: number): SubscriberRow[] {
  return h.db
    .select(subscriber)
    .from(users)
    .where(and(notInArray(users.tier, UNPAID), isNotNull(users.tierExpiresAt), lte(users.tierExpiresAt, now)))
    .orderBy(users.id)
    .all() as SubscriberRow[];
}

/**
 * Back to free, only if the row still has the tier and expiry that were read (a renewal in between
 * wins). True when it changed the row.
 */
export function expireTier(h: DbHandle, userId: number, tier: string, expiresAt: number): boolean {
  const r = h.db
    .update(users)
    .set({ tier: "free", tierExpiresAt: null })
    .where(and(eq(users.id, userId), eq(users.tier, tier), eq(users.tierExpiresAt, expiresAt)))
    .returning({ id: users.id })
    .all();
  return r.length === 1;
}

export function warningSent(
  h: DbHandle,
  userId: number,
  expiresAt: number,
  channel: WarningChannel,
): boolean {
  return (
    h.db
      .select({ id: tierWarnings.id })
      .from(tierWarnings)
      .where(
        and(
          eq(tierWarnings.userId, userId),
          eq(tierWarnings.expiresAt, expiresAt),
          eq(tierWarnings.channel, channel),
        ),
      )
      .get() !== undefined
  );
}

/** Records a sent warning; false when it was recorded already. */
export function recordWarning(
  h: DbHandle,
  w: { userId: number; expiresAt: number; channel: WarningChannel; sentAt: number },
): boolean {
  return (
    h.db.insert(tierWarnings).values(w).onConflictDoNothing().returning({ id: tierWarnings.id }).all()
      .length === 1
  );
}
