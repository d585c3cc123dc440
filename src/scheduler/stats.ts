// The `stats` task: one stats_daily row per UTC date, upserted, so running it twice changes nothing.
// Yesterday is written final after midnight; today is provisional and refreshed on every run.

import type { DbHandle } from "../db";
import type { JobService } from "../jobs";
import { computeDayStats, type DayStats, findDayStats, upsertDayStats } from "./store";
import { DAY_MS, dateStart, jobRetentionCutoff, startOfUtcDay, utcDate } from "./time";
import type { Task } from "./types";

/** Where a day's figures come from: the job service's reports and the user rows. */
export type StatsSource = { dbh: DbHandle; jobs: Pick<JobService, "reports"> };

/** Computes the figures of `date` (YYYY-MM-DD, UTC) from the job and user rows without storing them. */
export function computeDay(src: StatsSource, date: string): DayStats {
  const start = dateStart(date);
  return computeDayStats(src.dbh, src.jobs.reports, start, start + DAY_MS);
}

/** Computes and stores the row of `date` from the job and user rows. */
export function writeDayStats(src: StatsSource, date: string, nowMs: number): DayStats {
  const s = computeDay(src, date);
  upsertDayStats(src.dbh, date, s, nowMs);
  return s;
}

/** True when the row of `date` was computed after that day had ended, so it holds the whole day. */
export function isDayFolded(dbh: DbHandle, date: string): boolean {
  const row = findDayStats(dbh, date);
  return row !== undefined && row.updatedAt >= dateStart(date) + DAY_MS;
}

export const statsTask: Task = {
  name: "stats",
  schedule: (c) => c.MM_CRON_STATS,
  async run(d) {
    const now = d.now().getTime();
    const today = startOfUtcDay(now);
    // Days before the retention cutoff may have lost their job rows: their stored row is the truth.
    const frozenBefore = jobRetentionCutoff(now, d.config.MM_JOB_RETENTION_DAYS);
    let written = 0;
    let done = 0;
    for (const day of [today - DAY_MS, today]) {
      if (day < frozenBefore) continue;
      const s = writeDayStats(d, utcDate(day), now);
      written++;
      if (day === today) done = s.jobsDone;
    }
    return { days_written: written, date: utcDate(today), jobs_done_today: done };
  },
};
