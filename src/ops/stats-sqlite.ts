// The stats_daily store on SQLite (contract: stats-store.ts).

import { desc, eq, gte } from "drizzle-orm";
import { type DbHandle, schema } from "../db";
import type { StatsStore } from "./stats-store";

const { statsDaily } = schema;

export function createSqliteStatsStore(h: DbHandle): StatsStore {
  return {
    upsert(date, s, now) {
      h.db
        .insert(statsDaily)
        .values({ date, ...s, updatedAt: now })
        .onConflictDoUpdate({ target: statsDaily.date, set: { ...s, updatedAt: now } })
        .run();
    },
    find: (date) => h.db.select().from(statsDaily).where(eq(statsDaily.date, date)).get(),
    list: (fromDate) =>
      h.db
        .select()
        .from(statsDaily)
        .where(gte(statsDaily.date, fromDate))
        .orderBy(desc(statsDaily.date))
        .all(),
  };
}
