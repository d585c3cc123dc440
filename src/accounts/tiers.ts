// The tiers service: tiers as data (seeded, listed, edited with an audit entry), the tier of a caller,
// the limits view, and the enforcement of every limit at submission. Enforcement happens twice by
// design: `check` refuses early and precisely (before an upload is kept, before a batch starts, so
// nothing is charged), and `seam` re-counts inside the job insert's transaction, so two racing
// submissions cannot both take the last master. Only while MM_BILLING=on; off, nothing is limited.

import type { BillableJob, BillingSeam } from "../billing";
import { type Actor, actorOf } from "../db";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { Caller } from "./caller";
import {
  type Ask,
  assertAllowed,
  assertCounts,
  costFor,
  type LimitsView,
  limitsView,
  periodBounds,
  type Used,
} from "./limits";
import type { AccountStores } from "./stores";
import { applyAssignment, DEFAULT_TIERS, type Tier } from "./tiers-data";

export type TiersDeps = {
  stores: AccountStores;
  log: Logger;
  /** MM_BILLING: with "off" nothing is limited or charged. */
  billing: "off" | "on";
  /** A user's token balance (the ledger); read only when a check or a view needs it. */
  balanceOf?: (userId: number) => number;
  /** The largest batch when billing is off (the route's own bound). */
  batchMaxOff?: number;
  /**
   * How long a tier row read is reused (default 1000 ms): an edit from the CLI (another process) applies
   * within that; an edit through this service applies at once. 0 reads every time.
   */
  cacheMs?: number;
  now?: () => number;
};

export interface Tiers {
  /** True while MM_BILLING=on. */
  readonly enforced: boolean;
  list(): Tier[];
  /** The tier's fields; an unknown name reads as "free" (a user row naming a deleted tier). */
  get(name: string): Tier;
  /** Applies `field=value` assignments in one audited change; throws tier_not_found / invalid_tier_*. */
  set(name: string, assignments: readonly string[], actor: string | Actor): Tier;
  tierOf(caller: Caller): Tier;
  tierOfUser(userId: number): Tier;
  limitsFor(caller: Caller): LimitsView;
  /**
   * Throws the precise refusal of this submission (limit_reached, daily_limit_reached,
   * insufficient_tokens, upload_too_large_for_tier, tier_forbids_style, …); returns the queue priority
   * the tier gives (undefined with billing off). Call after the upload is validated, before submitting.
   */
  check(caller: Caller, ask: Ask): { priority: number | undefined };
  /** The tier's upload cap for this caller in bytes (undefined with billing off). */
  uploadLimitBytes(caller: Caller): number | undefined;
  /** Tokens a job costs its owner (the ledger's cost function). */
  costOf(job: BillableJob): number;
  /** Wraps the ledger: counts and records masters inside the job insert's transaction, gives them back on refund. */
  seam(inner: BillingSeam): BillingSeam;
  /** The Telegram link merged `fromUserId` into `toUserId`: its counted masters count for the merged user. */
  mergeUsage(fromUserId: number, toUserId: number): number;
}

const MB = 1024 * 1024;

/** Who a count belongs to: a user by id, a guest by client IP; other owners (the CLI) are not counted. */
function subjectOfJob(job: BillableJob): string | undefined {
  if (job.userId !== null) return `user:${job.userId}`;
  return job.ownerKey.startsWith("ip:") ? job.ownerKey : undefined;
}
const subjectOf = (c: Caller): string => (c.kind === "guest" ? c.ownerKey : `user:${c.userId}`);

export function createTiers(d: TiersDeps): Tiers {
  const store = d.stores.tiers;
  const now = d.now ?? Date.now;
  const enforced = d.billing === "on";
  store.seed(DEFAULT_TIERS, now());
  const fallback = DEFAULT_TIERS.find((t) => t.name === "free") as Tier;

  const cacheMs = d.cacheMs ?? 1000;
  const cache = new Map<string, { tier: Tier | undefined; at: number }>();
  const find = (name: string): Tier | undefined => {
    const at = now();
    const hit = cache.get(name);
    if (hit && at - hit.at < cacheMs) return hit.tier;
    const tier = store.find(name);
    cache.set(name, { tier, at });
    return tier;
  };
  const get = (name: string): Tier => find(name) ?? find("free") ?? fallback;
  const tierOfUser = (userId: number): Tier => get(store.userTier(userId) ?? "free");
  const tierOf = (c: Caller): Tier => (c.kind === "guest" ? get("guest") : tierOfUser(c.userId));
  const used = (tier: Tier, subject: string, at: number): Used => ({
    period: store.used(subject, "master", periodBounds(tier.period, at).start),
    day: store.used(subject, "master", periodBounds("day", at).start),
  });
  const balance = (c: Caller): number | null => (c.kind === "guest" ? null : (d.balanceOf?.(c.userId) ?? 0));

  return {
    enforced,
    list: () => store.list(),
    get,
    set(name, assignments, actor) {
      const before = store.find(name);
      if (!before) throw new AppError("tier_not_found", 404, { tier: name });
      if (!assignments.length) throw new AppError("invalid_tier_field", 400, { field: "", fields: "" });
      const after = assignments.reduce(applyAssignment, before);
      store.update(after, now());
      cache.delete(name);
      const by = actorOf(actor);
      d.stores.audit({
        ...by,
        action: "tier_set",
        target: `tier:${name}`,
        details: { assignments },
        before,
        after,
      });
      d.log.info("tier_changed", "", { tier: name, actor: by.actor, assignments });
      return after;
    },
    tierOf,
    tierOfUser,
    limitsFor(c) {
      const tier = tierOf(c);
      const at = now();
      return limitsView(tier, {
        enforced,
        used: used(tier, subjectOf(c), at),
        balance: balance(c),
        batchMaxOff: d.batchMaxOff ?? 10,
        now: at,
      });
    },
    check(c, ask) {
      if (!enforced) return { priority: undefined };
      const tier = tierOf(c);
      const n = ask.count ?? 1;
      assertAllowed(tier, ask);
      const at = now();
      if (ask.kind === "master") assertCounts(tier, used(tier, subjectOf(c), at), n, at);
      const cost = costFor(tier, ask.kind, ask.batch === true, n);
      const have = balance(c);
      if (cost > 0 && have !== null && have < cost)
        throw new AppError("insufficient_tokens", 403, { balance: have, cost });
      return { priority: ask.kind === "master" ? tier.queue_priority : undefined };
    },
    uploadLimitBytes: (c) => (enforced ? tierOf(c).upload_max_mb * MB : undefined),
    costOf(job) {
      if (job.userId === null) return 0;
      return costFor(tierOfUser(job.userId), job.kind, (job.batchId ?? null) !== null);
    },
    seam(inner) {
      return {
        reserve(job) {
          const subject = subjectOfJob(job);
          if (subject && job.kind === "master") {
            const tier = job.userId !== null ? tierOfUser(job.userId) : get("guest");
            const at = now();
            assertCounts(tier, used(tier, subject, at), 1, at);
            store.record(subject, job.kind, job.publicId, at);
          }
          return inner.reserve(job);
        },
        refund(job, reason) {
          inner.refund(job, reason);
          store.release(job.publicId, now());
        },
        settle: inner.settle?.bind(inner),
        // A crash between a job's final state and its refund loses the tokens (the ledger answers) and
        // the counted master (a free tier's job costs 0, so only the usage row tells).
        refundMissing: (job) => (inner.refundMissing?.(job) ?? false) || store.counted(job.publicId),
      };
    },
    mergeUsage: (from, to) => store.moveUsage(`user:${from}`, `user:${to}`),
  };
}
