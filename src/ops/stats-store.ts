// The stats_daily table behind one interface: one row of figures per UTC date. The only files that touch
// it are this one and its two implementations (stats-sqlite.ts, stats-pg.ts).

import type { Backend, schema } from "../db";
import { createPgStatsStore } from "./stats-pg";
import { createSqliteStatsStore } from "./stats-sqlite";

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

export type StatsRow = typeof schema.statsDaily.$inferSelect;

export interface StatsStore {
  /** Writes the row of `date` (YYYY-MM-DD); the date is the primary key, so re-running updates it. */
  upsert(date: string, s: DayStats, now: number): void;
  find(date: string): StatsRow | undefined;
  /** Stored rows from `fromDate` (inclusive), newest first. */
  list(fromDate: string): StatsRow[];
}

export function createStatsStore(b: Backend): StatsStore {
  return b.kind === "postgres" ? createPgStatsStore(b.pg) : createSqliteStatsStore(b.dbh);
}
