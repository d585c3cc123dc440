// SQL for tiers and tier usage (accounts owns both tables). Rows in, plain objects out; no policy here.
// The per-submission reads and writes are prepared statements: drizzle's builder costs more per call
// than the queries themselves, and these run several times for every job (bench/billing-check).

import { eq } from "drizzle-orm";
import { type DbHandle, schema } from "../db";
import type { Tier } from "./tiers-data";

const { tiers } = schema;

const USED_SQL = `SELECT count(*) AS n FROM tier_usage
  WHERE subject = ?1 AND created_at >= ?2 AND kind = ?3 AND released_at IS NULL`;
const RECORD_SQL = `INSERT INTO tier_usage (subject, kind, ref, created_at) VALUES (?1, ?2, ?3, ?4)
  ON CONFLICT (ref) DO NOTHING`;
const RELEASE_SQL = "UPDATE tier_usage SET released_at = ?2 WHERE ref = ?1 AND released_at IS NULL";
const USER_TIER_SQL = "SELECT tier FROM users WHERE id = ?1";
const COUNTED_SQL = "SELECT 1 AS one FROM tier_usage WHERE ref = ?1 AND released_at IS NULL";
const MOVE_USAGE_SQL = "UPDATE tier_usage SET subject = ?1 WHERE subject = ?2";

type TierRow = typeof tiers.$inferSelect;

const parseList = (s: string | null): string[] | null => (s === null ? null : (JSON.parse(s) as string[]));
const listText = (l: string[] | null): string | null => (l === null ? null : JSON.stringify(l));

function fromRow(r: TierRow): Tier {
  return {
    name: r.name,
    masters_per_period: r.mastersPerPeriod,
    period: r.period,
    daily_cap: r.dailyCap,
    tokens: {
      master: r.tokensMaster,
      preview: r.tokensPreview,
      measure: r.tokensMeasure,
      batch_item: r.tokensBatchItem,
    },
    upload_max_mb: r.uploadMaxMb,
    styles: parseList(r.styles),
    formats: parseList(r.formats),
    modules: parseList(r.modules),
    batch_max: r.batchMax,
    queue_priority: r.queuePriority,
    api_keys: r.apiKeys,
  };
}

function toRow(t: Tier, now: number): typeof tiers.$inferInsert {
  return {
    name: t.name,
    mastersPerPeriod: t.masters_per_period,
    period: t.period,
    dailyCap: t.daily_cap,
    tokensMaster: t.tokens.master,
    tokensPreview: t.tokens.preview,
    tokensMeasure: t.tokens.measure,
    tokensBatchItem: t.tokens.batch_item,
    uploadMaxMb: t.upload_max_mb,
    styles: listText(t.styles),
    formats: listText(t.formats),
    modules: listText(t.modules),
    batchMax: t.batch_max,
    queuePriority: t.queue_priority,
    apiKeys: t.api_keys,
    updatedAt: now,
  };
}

export interface TierStore {
  /** Inserts the tiers that are missing; an edited tier is never overwritten. */
  seed(defaults: readonly Tier[], now: number): void;
  list(): Tier[];
  find(name: string): Tier | undefined;
  update(t: Tier, now: number): void;
  /** Counted, unreleased jobs of `kind` the subject started since `since`. */
  used(subject: string, kind: string, since: number): number;
  /** Records one counted job; false when `ref` was recorded already. */
  record(subject: string, kind: string, ref: string, now: number): boolean;
  /** True while the job is counted and not given back. */
  counted(ref: string): boolean;
  /** Gives a counted job back (it failed or was cancelled); once. */
  release(ref: string, now: number): void;
  /** The tier name on the user's row (undefined: no such user). */
  userTier(userId: number): string | undefined;
  /** Every counted job of `from` now counts for `to` (a Telegram link merging two users). */
  moveUsage(from: string, to: string): number;
}

export function createTierStore(h: DbHandle): TierStore {
  const used = h.sqlite.prepare<{ n: number }, [string, number, string]>(USED_SQL);
  const record = h.sqlite.prepare<never, [string, string, string, number]>(RECORD_SQL);
  const release = h.sqlite.prepare<never, [string, number]>(RELEASE_SQL);
  const counted = h.sqlite.prepare<{ one: number }, [string]>(COUNTED_SQL);
  const userTier = h.sqlite.prepare<{ tier: string }, [number]>(USER_TIER_SQL);
  return {
    seed(defaults, now) {
      for (const t of defaults) h.db.insert(tiers).values(toRow(t, now)).onConflictDoNothing().run();
    },
    list: () => h.db.select().from(tiers).orderBy(tiers.uploadMaxMb, tiers.name).all().map(fromRow),
    find(name) {
      const r = h.db.select().from(tiers).where(eq(tiers.name, name)).get();
      return r ? fromRow(r) : undefined;
    },
    update(t, now) {
      const { name: _name, ...set } = toRow(t, now);
      h.db.update(tiers).set(set).where(eq(tiers.name, t.name)).run();
    },
    used: (subject, kind, since) => used.get(subject, since, kind)?.n ?? 0,
    record: (subject, kind, ref, now) => record.run(subject, kind, ref, now).changes === 1,
    counted: (ref) => counted.get(ref) !== null,
    release(ref, now) {
      release.run(ref, now);
    },
    userTier: (userId) => userTier.get(userId)?.tier,
    moveUsage: (from, to) => h.sqlite.run(MOVE_USAGE_SQL, [to, from]).changes,
  };
}
