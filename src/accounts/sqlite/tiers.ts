// The tiers store on SQLite. The per-submission reads and writes are prepared statements: drizzle's
// builder costs more per call than the queries themselves, and these run several times for every job
// (bench/billing-check).

import { eq } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import { fromRow, toRow } from "../tier-rows";
import type { TierStore } from "../tiers-store";

const { tiers } = schema;

const USED_SQL = `SELECT count(*) AS n FROM tier_usage
  WHERE subject = ?1 AND created_at >= ?2 AND kind = ?3 AND released_at IS NULL`;
const RECORD_SQL = `INSERT INTO tier_usage (subject, kind, ref, created_at) VALUES (?1, ?2, ?3, ?4)
  ON CONFLICT (ref) DO NOTHING`;
const RELEASE_SQL = "UPDATE tier_usage SET released_at = ?2 WHERE ref = ?1 AND released_at IS NULL";
const USER_TIER_SQL = "SELECT tier FROM users WHERE id = ?1";
const COUNTED_SQL = "SELECT 1 AS one FROM tier_usage WHERE ref = ?1 AND released_at IS NULL";
const MOVE_USAGE_SQL = "UPDATE tier_usage SET subject = ?1 WHERE subject = ?2";

export function createSqliteTierStore(h: DbHandle): TierStore {
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
