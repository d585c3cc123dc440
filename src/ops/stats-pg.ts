// The stats_daily store on Postgres (contract: stats-store.ts). The money maps are jsonb columns.

import { getTableColumns } from "drizzle-orm";
import { type PgClient, pgSchema, rowReader } from "../db";
import type { StatsStore } from "./stats-store";

const { statsDaily } = pgSchema;
const read = rowReader(statsDaily);
const JSONB = new Set(["revenueMinor", "refundsMinor"]);
/** Every column but the date: property and SQL name, in one fixed order for the statement below. */
const FIELDS = Object.entries(getTableColumns(statsDaily))
  .filter(([k]) => k !== "date")
  .map(([k, c]) => [k, c.name] as const);
const UPSERT = `INSERT INTO stats_daily (date, ${FIELDS.map(([, n]) => `"${n}"`).join(", ")})
  VALUES ($1, ${FIELDS.map(([k], i) => `$${i + 2}${JSONB.has(k) ? "::jsonb" : ""}`).join(", ")})
  ON CONFLICT (date) DO UPDATE SET ${FIELDS.map(([, n]) => `"${n}" = excluded."${n}"`).join(", ")}`;

export function createPgStatsStore(pg: PgClient): StatsStore {
  return {
    upsert(date, s, now) {
      const row: Record<string, unknown> = { ...s, updatedAt: now };
      pg.run(UPSERT, [
        date,
        // The maps go as objects: Bun.SQL encodes a jsonb parameter itself (a string would become a JSON string).
        ...FIELDS.map(([k]) => row[k] ?? (JSONB.has(k) ? {} : null)),
      ]);
    },
    find(date) {
      const r = pg.get("SELECT * FROM stats_daily WHERE date = $1", [date]);
      return r ? read(r) : undefined;
    },
    list: (fromDate) =>
      pg
        .all(`SELECT * FROM stats_daily WHERE date >= $1 ORDER BY date COLLATE "C" DESC`, [fromDate])
        .map(read),
  };
}
