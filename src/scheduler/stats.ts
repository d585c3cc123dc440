// The `stats` task: one stats_daily row per UTC date, upserted, so running it twice changes nothing.
// Yesterday is written final after midnight; today is provisional and refreshed on every run.

import { DAY_MS, jobRetentionCutoff, startOfUtcDay, utcDate } from "../ops";
import type { Task } from "./types";

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
      const s = d.stats.write(utcDate(day), now);
      written++;
      if (day === today) done = s.jobsDone;
    }
    return { days_written: written, date: utcDate(today), jobs_done_today: done };
  },
};
