// Daily statistics: one stats_daily row per UTC date, computed from the job service's reports, the
// accounts' user figures and billing's orders of the day (this area reads none of those tables itself). The stats and cleanup tasks write
// rows; `admin stats` and GET /api/admin/stats read them, with today computed live.

import type { Accounts } from "../accounts";
import type { Backend } from "../db";
import type { JobReports } from "../jobs";
import { createStatsStore, type DayStats, type StatsRow } from "./stats-store";
import { DAY_MS, dateStart, utcDate } from "./utc-day";

export type { DayStats, StatsRow } from "./stats-store";

/** A day's figures; `live` when computed now (today), not read from a stored row. */
export type DayStatsRow = DayStats & { date: string; live: boolean };

export interface DailyStats {
  /** Computes the figures of `date` (YYYY-MM-DD, UTC) without storing them. */
  compute(date: string): DayStats;
  /** Computes and stores the row of `date`. */
  write(date: string, nowMs: number): DayStats;
  /** True when the row of `date` was computed after that day had ended, so it holds the whole day. */
  isFolded(date: string): boolean;
  /** The last `days` days, newest first: today live, earlier days as stored (missing days are absent). */
  recent(days: number, nowMs: number): DayStatsRow[];
}

/** Billing's figures of a window (Payments.daySummary). */
export type PaymentDayFigures = {
  created: number;
  paid: number;
  revenueMinor: Record<string, number>;
  refundsMinor: Record<string, number>;
};

export type DailyStatsDeps = {
  /** The database holding stats_daily. */
  backend: Backend;
  jobs: Pick<JobReports, "daySummary">;
  users: Pick<Accounts, "usersOfDay">;
  /** Absent (a tool without billing): the payment figures are zero. */
  payments?: { daySummary(start: number, end: number): PaymentDayFigures };
};

const NO_PAYMENTS: PaymentDayFigures = { created: 0, paid: 0, revenueMinor: {}, refundsMinor: {} };

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

export function createDailyStats({ backend, jobs, users, payments }: DailyStatsDeps): DailyStats {
  const store = createStatsStore(backend);
  const compute = (date: string): DayStats => {
    const start = dateStart(date);
    const j = jobs.daySummary(start, start + DAY_MS);
    const u = users.usersOfDay(start, start + DAY_MS);
    const p = payments?.daySummary(start, start + DAY_MS) ?? NO_PAYMENTS;
    // Active = anyone who submitted a job that day or was seen by the bot that day, counted once.
    const active = new Set([...j.activeKeys, ...u.seenIds.map((id) => `u${id}`)]);
    return {
      jobsDone: j.done,
      jobsFailed: j.failed,
      jobsCancelled: j.cancelled,
      usersNew: u.created,
      usersActive: active.size,
      audioMinutes: round(j.audioS / 60, 2),
      meanRealtimeFactor: j.meanRealtimeFactor === null ? null : round(j.meanRealtimeFactor, 3),
      ordersCreated: p.created,
      ordersPaid: p.paid,
      revenueMinor: p.revenueMinor,
      refundsMinor: p.refundsMinor,
    };
  };
  return {
    compute,
    write(date, nowMs) {
      const s = compute(date);
      store.upsert(date, s, nowMs);
      return s;
    },
    isFolded(date) {
      const row = store.find(date);
      return row !== undefined && row.updatedAt >= dateStart(date) + DAY_MS;
    },
    recent(days, nowMs) {
      const today = utcDate(nowMs);
      const stored = store.list(utcDate(nowMs - (days - 1) * DAY_MS)).filter((r) => r.date !== today);
      return [
        { date: today, live: true, ...compute(today) },
        ...stored.map(({ updatedAt: _u, ...r }: StatsRow) => ({ ...r, live: false })),
      ];
    },
  };
}
