// Subscriptions: a paid tier with an expiry. `extendTier` is how a payment (or an admin) grants days;
// the scheduler's `subscriptions` task expires tiers back to free and warns before the end, through
// the functions below (accounts owns users, so the task never writes their SQL).
//
// Rules of extendTier:
// - the same tier still running: the days are added to the current expiry (paying early loses nothing);
// - the same tier without an expiry (granted for good): it stays without one, the grant is recorded;
// - another tier, or the tier already expired: the new tier runs from now (the rest of a different tier
//   is not carried over: tiers differ in price, so days of one are not days of the other);
// - `ref` (the payment id, an admin action id) is unique: a replay answers the first grant, changes nothing.
//
// Rules of shortenTier (a refunded tier plan takes back what its grant added, once per refund ref):
// - the user still has the grant's tier with an expiry: the expiry moves back by the days taken; when
//   that reaches now or earlier, the tier ends at once — back to the tier the grant replaced if that one
//   would still be running, else free;
// - the user moved on (another tier, or the tier has no end) or the grant is unknown: nothing changes,
//   the shortening is still recorded (once) and audited, so the operator sees it;
// - recorded as a tier_grants row with negative days under the refund's ref (unique: a replay is a no-op).

import { AppError } from "../errors";
import type { Logger } from "../log";
import type { AccountStores } from "./stores";
import type { WarningChannel as Channel, NewGrant, SubscriberRow, TierGrantRow } from "./subs-store";

export type WarningChannel = Channel;
export type Subscriber = SubscriberRow;

/** What a grant did (or, on a replayed ref, what the first one did: `applied` false). */
export type TierGrant = {
  userId: number;
  tier: string;
  days: number;
  ref: string;
  previousTier: string;
  previousExpiresAt: number | null;
  /** The expiry after the grant (null: no end). */
  expiresAt: number | null;
  applied: boolean;
};

export interface Subscriptions {
  /**
   * Extends (or starts) a paid tier by `days` for the user; audited; idempotent on `ref`. Throws
   * `user_not_found` (404), `tier_not_purchasable` (400: unknown, or never paid for),
   * `invalid_grant_days` (400), `invalid_grant_ref` (400) or `tier_grant_conflict` (409: the ref was used for another user or tier).
   * `actor` (default "system") and `note` (an operator's reason) go to the audit entry.
   */
  extendTier(
    userId: number,
    tier: string,
    days: number,
    ref: string,
    actor?: string,
    note?: string,
  ): TierGrant;
  /**
   * Takes `days` back from the tier the grant `grantRef` gave (a refund); idempotent on `ref`; audited.
   * `applied` false on a replay. Throws `user_not_found`, `invalid_grant_days`, `invalid_grant_ref`.
   */
  shortenTier(userId: number, grantRef: string, days: number, ref: string, actor?: string): TierGrant;
  /** Paid tiers whose expiry has passed go back to free (each audited, actor "scheduler"). */
  expireDue(now?: number): { userId: number; tier: string; expiresAt: number }[];
  /** Paid tiers ending in (now, now + withinMs]: the users to warn. */
  expiringWithin(withinMs: number, now?: number): Subscriber[];
  warningSent(userId: number, expiresAt: number, channel: WarningChannel): boolean;
  /** Records a sent warning; false when it was recorded already. */
  recordWarning(userId: number, expiresAt: number, channel: WarningChannel, now?: number): boolean;
}

export type SubscriptionsDeps = {
  stores: AccountStores;
  log: Logger;
  now?: () => number;
  /** True for a tier one can pay for (the tiers table once it exists); default pro and studio. */
  isPaidTier?: (tier: string) => boolean;
};

export const DAY_MS = 86_400_000;
/** Longest single grant (10 years): a typo in days should not make a tier eternal. */
export const MAX_GRANT_DAYS = 3660;

const defaultPaid = (tier: string) => tier === "pro" || tier === "studio";

export function createSubscriptions({
  stores,
  log,
  now = Date.now,
  isPaidTier = defaultPaid,
}: SubscriptionsDeps): Subscriptions {
  const subs = stores.subs;
  const recordAudit = stores.audit;
  const view = (g: TierGrantRow, applied: boolean): TierGrant => ({
    userId: g.userId,
    tier: g.tier,
    days: g.days,
    ref: g.ref,
    previousTier: g.previousTier,
    previousExpiresAt: g.previousExpiresAt,
    expiresAt: g.expiresAt,
    applied,
  });
  // Inside the caller's transaction when one is open (a payment credited in the same commit).
  const atomically = stores.atomically;

  return {
    extendTier(userId, tier, days, ref, actor = "system", note) {
      if (!Number.isSafeInteger(days) || days <= 0 || days > MAX_GRANT_DAYS)
        throw new AppError("invalid_grant_days", 400, { days, max: MAX_GRANT_DAYS });
      if (!isPaidTier(tier)) throw new AppError("tier_not_purchasable", 400, { tier });
      if (!ref) throw new AppError("invalid_grant_ref", 400);
      return atomically(() => {
        const done = subs.findGrant(ref);
        if (done) {
          if (done.userId !== userId || done.tier !== tier)
            throw new AppError("tier_grant_conflict", 409, { ref });
          return view(done, false);
        }
        const u = stores.users.byId(userId);
        if (!u) throw new AppError("user_not_found", 404, { ref: `#${userId}` });
        const t = now();
        const running = u.tier === tier && (u.tierExpiresAt === null || u.tierExpiresAt > t);
        const expiresAt = !running
          ? t + days * DAY_MS
          : u.tierExpiresAt === null
            ? null
            : u.tierExpiresAt + days * DAY_MS;
        const g: NewGrant = {
          userId,
          tier,
          days,
          ref,
          actor,
          previousTier: u.tier,
          previousExpiresAt: u.tierExpiresAt,
          expiresAt,
          createdAt: t,
        };
        subs.applyGrant(g);
        recordAudit({
          actor,
          action: "tier_extended",
          target: `user:${userId}`,
          details: {
            tier,
            days,
            ref,
            previous_tier: u.tier,
            previous_expires_at: u.tierExpiresAt,
            expires_at: expiresAt,
            ...(note ? { note } : {}),
          },
        });
        log.info("tier_extended", "", { user_id: userId, tier, days, ref, expires_at: expiresAt, actor });
        return view({ id: 0, ...g }, true);
      });
    },
    shortenTier(userId, grantRef, days, ref, actor = "system") {
      if (!Number.isSafeInteger(days) || days <= 0 || days > MAX_GRANT_DAYS)
        throw new AppError("invalid_grant_days", 400, { days, max: MAX_GRANT_DAYS });
      if (!ref || !grantRef) throw new AppError("invalid_grant_ref", 400);
      return atomically(() => {
        const done = subs.findGrant(ref);
        if (done) return view(done, false);
        const u = stores.users.byId(userId);
        if (!u) throw new AppError("user_not_found", 404, { ref: `#${userId}` });
        const grant = subs.findGrant(grantRef);
        const t = now();
        let tier = u.tier;
        let expiresAt = u.tierExpiresAt;
        const running =
          grant?.userId === userId &&
          u.tier === grant.tier &&
          u.tierExpiresAt !== null &&
          u.tierExpiresAt > t;
        if (running && grant && u.tierExpiresAt !== null) {
          expiresAt = u.tierExpiresAt - days * DAY_MS;
          if (expiresAt <= t) {
            // What the grant replaced, if it would still run now (days of another tier were not carried).
            const back =
              grant.previousTier !== grant.tier &&
              isPaidTier(grant.previousTier) &&
              grant.previousExpiresAt !== null &&
              grant.previousExpiresAt > t;
            tier = back ? grant.previousTier : "free";
            expiresAt = back ? grant.previousExpiresAt : null;
          }
        }
        const g: NewGrant = {
          userId,
          tier: grant?.tier ?? u.tier,
          days: -days,
          ref,
          actor,
          previousTier: u.tier,
          previousExpiresAt: u.tierExpiresAt,
          expiresAt,
          createdAt: t,
        };
        subs.recordShortening(g, running ? { tier, expiresAt } : undefined);
        recordAudit({
          actor,
          action: "tier_shortened",
          target: `user:${userId}`,
          details: {
            grant_ref: grantRef,
            ref,
            days,
            applied: running,
            previous_tier: u.tier,
            previous_expires_at: u.tierExpiresAt,
            tier,
            expires_at: expiresAt,
          },
        });
        log.info("tier_shortened", "", {
          user_id: userId,
          grant_ref: grantRef,
          ref,
          days,
          applied: running,
          tier,
          expires_at: expiresAt,
        });
        return view({ id: 0, ...g }, true);
      });
    },
    expireDue(at = now()) {
      const out: { userId: number; tier: string; expiresAt: number }[] = [];
      for (const u of subs.paidExpiredAt(at)) {
        const changed = atomically(() => {
          if (!subs.expireTier(u.id, u.tier, u.tierExpiresAt)) return false;
          recordAudit({
            actor: "scheduler",
            action: "tier_expired",
            target: `user:${u.id}`,
            details: { tier: u.tier, expires_at: u.tierExpiresAt },
          });
          return true;
        });
        if (!changed) continue;
        log.info("tier_expired", "", { user_id: u.id, tier: u.tier, expires_at: u.tierExpiresAt });
        out.push({ userId: u.id, tier: u.tier, expiresAt: u.tierExpiresAt });
      }
      return out;
    },
    expiringWithin: (withinMs, at = now()) => subs.paidExpiringBetween(at, at + withinMs),
    warningSent: (userId, expiresAt, channel) => subs.warningSent(userId, expiresAt, channel),
    recordWarning: (userId, expiresAt, channel, at = now()) =>
      subs.recordWarning({ userId, expiresAt, channel, sentAt: at }),
  };
}
