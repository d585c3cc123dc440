// The `auth_sweep` task: deletes sign-in credentials past their expiry (sessions, reset and
// verification tokens) through one accounts function. Expired ones already sign no one in (every resolve
// checks the expiry); this keeps the tables from growing without bound.

import type { Task } from "./types";

export const authSweepTask: Task = {
  name: "auth_sweep",
  schedule: (c) => c.MM_CRON_AUTH_SWEEP,
  async run(d) {
    return d.signIn.sweepExpired(d.now().getTime());
  },
};
