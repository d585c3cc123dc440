// The `sweep` task: running jobs whose worker stopped heartbeating are re-queued (or failed after too
// many attempts), exactly as start-up recovery does. The job service owns the rules; this only calls it.

import type { Task } from "./types";

export const sweepTask: Task = {
  name: "sweep",
  schedule: (c) => c.MM_CRON_SWEEP,
  async run(d) {
    const r = d.jobs.sweepStale(d.now().getTime());
    return { requeued: r.requeued, failed: r.failed };
  },
};
