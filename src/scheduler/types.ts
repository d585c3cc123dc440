// The shape of a scheduled task and of what every task may use. A task is a named function plus a cron
// expression taken from config; the scheduler, `magic-master cron run <name>` and tests all call `run`.

import type { Auth, BotUpdateStore } from "../accounts";
import type { Payments } from "../billing";
import type { Config } from "../config";
import type { DataLayout } from "../files";
import type { Lang } from "../i18n";
import type { JobService } from "../jobs";
import type { Logger } from "../log";
import type { DailyStats } from "../ops";
import type { Settings } from "../settings";
import type { SubscriptionTaskDeps } from "./subscriptions";

/** What a task reports: counts (files_removed, rows_deleted, …) and a few strings (a backup's path). */
export type TaskCounts = Record<string, number | string>;

/**
 * Admin notifications. `kind` lets the notifier throttle per kind ("queue_high", "backup_failed");
 * the scheduler decides *when* to send (once per episode), the notifier only how.
 */
export type AdminNotifier = { notifyAdmin(kind: string, text: string): unknown };

export type TaskDeps = {
  config: Config;
  log: Logger;
  /** The stats_daily rows (ops/): the stats task writes them, cleanup folds days before deleting jobs. */
  stats: Pick<DailyStats, "write" | "isFolded">;
  layout: DataLayout;
  /** Maintenance, reports and retention of the job service: tasks never submit or cancel. */
  jobs: Pick<JobService, "sweepStale" | "expireResults" | "reports" | "retention" | "files">;
  notify: AdminNotifier;
  /** Sign-in (accounts): the auth_sweep task deletes expired sessions and tokens through it. */
  signIn: Pick<Auth, "sweepExpired">;
  settings: Settings;
  /** The bot's handled update ids (accounts): cleanup deletes those too old to be given again. */
  botUpdates?: Pick<BotUpdateStore, "prune">;
  /** The clock: tests pass a fixed one, so retention and "last 15 minutes" are deterministic. */
  now: () => Date;
  /** Free MiB of the filesystem holding a folder (injected so the disk alarm can be tested). */
  freeDiskMb: (dir: string) => number;
  /** Language of admin notifications. */
  adminLang: Lang;
  /** Paid tiers' expiry and warnings (the subscriptions task refuses to run without them). */
  subscriptions?: SubscriptionTaskDeps;
  /** Pending orders to reconcile (absent: the reconcile task has nothing to do). */
  payments?: Pick<Payments, "reconcile">;
};

export type Task = {
  /** Stable id used by `cron run <name>`, logs and MM_CRON_<NAME>. */
  name: string;
  /** The cron expression (UTC) or "off", read from config. */
  schedule(config: Config): string;
  run(deps: TaskDeps): Promise<TaskCounts>;
};
