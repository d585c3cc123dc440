// The scheduler: retention, alert thresholds, stale heartbeats and when each task runs (UTC cron).

import { cron, int, num, type Spec } from "../kinds";

export const SCHEDULER_ENV = {
  MM_BACKUP_RETENTION_DAYS: {
    schema: int(1, 3650),
    default: "30",
    describe: "Days to keep scheduled backups",
  },
  MM_JOB_RETENTION_DAYS: { schema: int(1, 3650), default: "30", describe: "Days to keep finished job rows" },
  MM_ALERT_QUEUE: { schema: int(1), default: "100", describe: "Queue length that triggers an admin alert" },
  MM_ALERT_FAILURE_RATE: {
    schema: num(0, 1),
    default: "0.5",
    describe: "Share of failed jobs in 15 min that triggers an alert",
  },
  MM_FAILED_INPUT_KEEP_H: {
    schema: num(0, 720),
    default: "0",
    describe: "Hours a failed job's upload is kept so an admin can retry it (0 = deleted when it fails)",
  },
  MM_HEARTBEAT_STALE_S: {
    schema: int(5),
    default: "120",
    describe: "A running job without a heartbeat for this long is re-queued",
  },
  MM_CRON_BACKUP: {
    schema: cron,
    default: "0 3 * * *",
    describe: "When the backup task runs (UTC, 'off' disables)",
  },
  MM_CRON_CLEANUP: { schema: cron, default: "15 * * * *", describe: "When the cleanup task runs" },
  MM_CRON_SWEEP: { schema: cron, default: "* * * * *", describe: "When stuck jobs are swept" },
  MM_CRON_ALERTS: { schema: cron, default: "* * * * *", describe: "When alert conditions are checked" },
  MM_CRON_STATS: { schema: cron, default: "5 0 * * *", describe: "When the daily stats row is written" },
  MM_CRON_SUBSCRIPTIONS: {
    schema: cron,
    default: "*/5 * * * *",
    describe: "When paid tiers past their end return to free and 3-day warnings are sent",
  },
  MM_CRON_AUTH_SWEEP: {
    schema: cron,
    default: "25 * * * *",
    describe: "When expired sign-in sessions (and reset/verify tokens) are deleted",
  },
} satisfies Record<string, Spec>;
