// The tiers store on Postgres (contract: ../tiers-store.ts).

import { getTableColumns } from "drizzle-orm";
import type { PgClient } from "../../db";
import { schema } from "../../db";
import { fromRow, type TierRow, toRow } from "../tier-rows";
import type { TierStore } from "../tiers-store";
import { cols } from "./sql";

const TIER = cols(schema.tiers);
/** The tiers columns: row property and SQL name (insert and update write them all). */
const FIELDS = Object.entries(getTableColumns(schema.tiers)).map(([k, c]) => [k, c.name] as const);

export function createPgTierStore(pg: PgClient): TierStore {
  const insert = (row: ReturnType<typeof toRow>) => {
    const values = row as Record<string, unknown>;
    const names = FIELDS.map(([, n]) => `"${n}"`).join(", ");
    const params = FIELDS.map((_, i) => `$${i + 1}`).join(", ");
    pg.run(
      `INSERT INTO tiers (${names}) VALUES (${params}) ON CONFLICT (name) DO NOTHING`,
      FIELDS.map(([k]) => (values[k] ?? null) as string | number | boolean | null),
    );
  };
  return {
    seed(defaults, now) {
      pg.tx(() => {
        for (const t of defaults) insert(toRow(t, now));
      });
    },
    list: () => pg.all<TierRow>(`SELECT ${TIER} FROM tiers ORDER BY upload_max_mb, name`).map(fromRow),
    find(name) {
      const r = pg.get<TierRow>(`SELECT ${TIER} FROM tiers WHERE name = $1`, [name]);
      return r ? fromRow(r) : undefined;
    },
    update(t, now) {
      const values = toRow(t, now) as Record<string, unknown>;
      const set = FIELDS.filter(([k]) => k !== "name");
      pg.run(`UPDATE tiers SET ${set.map(([, n], i) => `"${n}" = $${i + 2}`).join(", ")} WHERE name = $1`, [
        t.name,
        ...set.map(([k]) => (values[k] ?? null) as string | number | boolean | null),
      ]);
    },
    used: (subject, kind, since) =>
      pg.get<{ n: number }>(
        `SELECT count(*) AS n FROM tier_usage
         WHERE subject = $1 AND created_at >= $2 AND kind = $3 AND released_at IS NULL`,
        [subject, since, kind],
      )?.n ?? 0,
    record: (subject, kind, ref, now) =>
      pg.run(
        "INSERT INTO tier_usage (subject, kind, ref, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (ref) DO NOTHING",
        [subject, kind, ref, now],
      ) === 1,
    counted: (ref) =>
      pg.get("SELECT 1 AS one FROM tier_usage WHERE ref = $1 AND released_at IS NULL", [ref]) !== undefined,
    release(ref, now) {
      pg.run("UPDATE tier_usage SET released_at = $2 WHERE ref = $1 AND released_at IS NULL", [ref, now]);
    },
    userTier: (userId) => pg.get<{ tier: string }>("SELECT tier FROM users WHERE id = $1", [userId])?.tier,
    moveUsage: (from, to) => pg.run("UPDATE tier_usage SET subject = $1 WHERE subject = $2", [to, from]),
  };
}
