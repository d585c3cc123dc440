// SQL of the stats_daily table: one row of figures per UTC date. The only file that touches it.

import { desc, eq, gte } from "drizzle-orm";
import { type DbHandle, schema } from "../db";

const { statsDaily } = schema;

export type DayStats = {
  jobsDone: number;
  jobsFailed: number;
  jobsCancelled: number;
  usersNew: number;
  usersActive: number;
  audioMinutes: number;
  meanRealtimeFactor: number | null;
  /** Payment orders created that day. */
  ordersCreated: number;
  /** Orders paid that day (refunded later included). */
  ordersPaid: number;
  /** Money paid that day by currency, minor units (Stars ×100). */
  revenueMinor: Record<string, number>;
  /** Money refunded that day by currency, minor units. */
  refundsMinor: Record<string, number>;
};

export type StatsRow = typeof statsDaily.$inferSelect;

/** Writes the row of `date` (YYYY-MM-DD); the date is the primary key, so re-running updates it. */
export function upsertDayStats(h: DbHandle, date: string, s: DayStats, now: number): void {
  h.db
    .insert(statsDaily)
    .values({ date, ...s, updatedAt: now })
    .onConflictDoUpdate({ target: statsDaily.date, set: { ...s, updatedAt: now } })
    .run();
}

export function findDayStats(h: DbHandle, date: string): StatsRow | undefined {
  return h.db.select().from(statsDaily).where(eq(statsDaily.date, date)).get();
}

/** Stored rows from `fromDate` (inclusive), newest first. */
export function listDayStats(h: DbHandle, fromDate: string): StatsRow[] {
  return h.db
    .select()
    .from(statsDaily)
    .where(gte(statsDaily.date, fromDate))
    .orderBy(desc(statsDaily.date))
    .all();
}
