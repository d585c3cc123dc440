// The `reconcile` task: orders still pending after MM_PAYMENT_RECONCILE_MIN minutes are re-fetched from
// the provider and settled (a lost notification, a create whose answer never came, a crash mid-credit).

import type { Task } from "./types";

export const reconcileTask: Task = {
  name: "reconcile",
  schedule: (c) => c.MM_CRON_RECONCILE,
  async run(d) {
    if (!d.payments) return { checked: 0, settled: 0, errors: 0 };
    return d.payments.reconcile();
  },
};
