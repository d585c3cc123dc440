// The subscriptions store: tier grants (idempotent on ref), expiring paid tiers back to free, and the
// warnings sent before an expiry. Rows in, rows out; the policy lives in subscriptions.ts. The grant
// writes run inside the caller's transaction (AccountStores.atomically). SQLite: ./sqlite/subs.ts.

import type { schema } from "../db";

export type TierGrantRow = typeof schema.tierGrants.$inferSelect;
export type WarningChannel = (typeof schema.tierWarnings.$inferSelect)["channel"];
export type NewGrant = Omit<TierGrantRow, "id">;

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

export interface SubscriptionStore {
  findGrant(ref: string): TierGrantRow | undefined;
  /** Records the grant and sets the user's tier and expiry. */
  applyGrant(g: NewGrant): void;
  /**
   * Records a shortening (negative days) and, when it applies, sets the user's tier and expiry. Without
   * `user` only the row is written: the user had moved on.
   */
  recordShortening(g: NewGrant, user: { tier: string; expiresAt: number | null } | undefined): void;
  /** Paid tiers (not free/guest) whose expiry lies in (after, until], by user id. */
  paidExpiringBetween(after: number, until: number): SubscriberRow[];
  /** Paid tiers expired at `now` (expiry ≤ now), by user id. */
  paidExpiredAt(now: number): SubscriberRow[];
  /**
   * Back to free, only if the row still has the tier and expiry that were read (a renewal in between
   * wins). True when it changed the row.
   */
  expireTier(userId: number, tier: string, expiresAt: number): boolean;
  warningSent(userId: number, expiresAt: number, channel: WarningChannel): boolean;
  /** Records a sent warning; false when it was recorded already. */
  recordWarning(w: { userId: number; expiresAt: number; channel: WarningChannel; sentAt: number }): boolean;
}
