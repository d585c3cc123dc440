// Public face of the scheduler: croner runs each named task on its MM_CRON_<NAME> schedule (UTC), with
// overlap protection, one cron_started / cron_finished / cron_failed event per run, a bounded wait on
// shutdown, and `runOnce` for `magic-master cron run <name>` and tests.

import { Cron } from "croner";
import type { Config } from "../config";
import { AppError } from "../errors";
import type { DataLayout } from "../files";
import type { Lang } from "../i18n";
import type { Logger } from "../log";
import { freeDiskMb as realFreeDiskMb } from "../ops";
import type { Settings } from "../settings";
import { alertsTask } from "./alerts";
import { authSweepTask } from "./auth-sweep";
import { backupTask } from "./backup";
import { cleanupTask } from "./cleanup";
import { reconcileTask } from "./reconcile";
import { statsTask } from "./stats";
import { subscriptionsTask } from "./subscriptions";
import { sweepTask } from "./sweep";
import type { AdminNotifier, Task, TaskCounts, TaskDeps } from "./types";

export { alertStateKey, FAILURE_MIN_SAMPLE, FAILURE_WINDOW_MS } from "./alerts";
export { pruneBackups } from "./backup";
export { BOT_UPDATE_KEEP_MS, ORPHAN_MIN_AGE_MS } from "./cleanup";
export {
  runSubscriptions,
  type SubscriptionTaskDeps,
  subscriptionDeps,
  WARN_BEFORE_MS,
} from "./subscriptions";
export type { AdminNotifier, Task, TaskCounts, TaskDeps } from "./types";

/** Every task, in the order `cron list` shows them. */
export const TASKS: readonly Task[] = [
  backupTask,
  cleanupTask,
  sweepTask,
  alertsTask,
  statsTask,
  subscriptionsTask,
  reconcileTask,
  authSweepTask,
];

export type SchedulerDeps = {
  config: Config;
  log: Logger;
  layout: DataLayout;
  jobs: TaskDeps["jobs"];
  stats: TaskDeps["stats"];
  notify: AdminNotifier;
  signIn: TaskDeps["signIn"];
  now?: () => Date;
  /** Shared with HTTP and the pool (maintenance, alert episodes). */
  settings: Settings;
  freeDiskMb?: (dir: string) => number;
  adminLang?: Lang;
  subscriptions?: TaskDeps["subscriptions"];
  payments?: TaskDeps["payments"];
  botUpdates?: TaskDeps["botUpdates"];
  /** Replaces the task list (tests of the runner itself). */
  tasks?: readonly Task[];
};

export type Scheduler = {
  /** Registers every task whose schedule is not "off". Throws on an invalid cron expression. */
  start(): void;
  /** Stops scheduling, then waits up to `graceMs` (default 10 s) for runs in progress. */
  stop(graceMs?: number): Promise<void>;
  /** Runs a task now. Throws `unknown_task`, `task_busy` (already running) or the task's own error. */
  runOnce(name: string): Promise<TaskCounts>;
  tasks: readonly { name: string; schedule: string }[];
};

/** The next time `expr` fires after `from` (UTC), or null for "off" or a pattern that never fires. */
export function nextRunOf(expr: string, from = new Date()): Date | null {
  if (expr === "off") return null;
  return new Cron(expr, { paused: true, timezone: "UTC" }).nextRun(from);
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { config, log } = deps;
  const tasks = deps.tasks ?? TASKS;
  const taskDeps: TaskDeps = {
    config,
    log,
    layout: deps.layout,
    jobs: deps.jobs,
    stats: deps.stats,
    notify: deps.notify,
    signIn: deps.signIn,
    settings: deps.settings,
    now: deps.now ?? (() => new Date()),
    freeDiskMb: deps.freeDiskMb ?? realFreeDiskMb,
    adminLang: deps.adminLang ?? "en",
    subscriptions: deps.subscriptions,
    payments: deps.payments,
    botUpdates: deps.botUpdates,
  };
  const inFlight = new Map<string, Promise<TaskCounts>>();
  let crons: Cron[] = [];

  function execute(task: Task, trigger: "schedule" | "manual"): Promise<TaskCounts> {
    // Overlap protection that also covers a manual run racing a scheduled one (croner's `protect`
    // only knows about its own callbacks).
    if (inFlight.has(task.name)) return Promise.reject(new AppError("task_busy", 409, { name: task.name }));
    const run = (async () => {
      const t0 = performance.now();
      log.info("cron_started", task.name, { task: task.name, trigger });
      try {
        const counts = await task.run(taskDeps);
        log.info("cron_finished", task.name, {
          ...counts,
          task: task.name,
          trigger,
          duration_ms: Math.round(performance.now() - t0),
        });
        return counts;
      } catch (err) {
        log.error("cron_failed", task.name, {
          task: task.name,
          trigger,
          duration_ms: Math.round(performance.now() - t0),
          err,
        });
        throw err;
      } finally {
        inFlight.delete(task.name);
      }
    })();
    inFlight.set(task.name, run);
    return run;
  }

  return {
    tasks: tasks.map((t) => ({ name: t.name, schedule: t.schedule(config) })),
    start() {
      for (const task of tasks) {
        const expr = task.schedule(config);
        if (expr === "off") {
          log.info("cron_disabled", task.name, { task: task.name });
          continue;
        }
        let cron: Cron;
        try {
          cron = new Cron(expr, { timezone: "UTC", protect: true }, async () => {
            await execute(task, "schedule").catch((err: unknown) => {
              if (err instanceof AppError && err.code === "task_busy")
                log.warn("cron_skipped", "previous run still going", { task: task.name });
              // Other failures were logged as cron_failed already.
            });
          });
        } catch (err) {
          throw new Error(
            `MM_CRON_${task.name.toUpperCase()}: invalid cron expression "${expr}" (${String(err)})`,
          );
        }
        crons.push(cron);
        log.info("cron_scheduled", task.name, {
          task: task.name,
          schedule: expr,
          next_run: cron.nextRun()?.toISOString(),
        });
      }
    },
    async stop(graceMs = 10_000) {
      for (const c of crons) c.stop();
      crons = [];
      if (inFlight.size === 0) return;
      const names = [...inFlight.keys()];
      log.info("cron_waiting", "waiting for running tasks", { tasks: names, grace_ms: graceMs });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        Promise.allSettled(inFlight.values()).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut)
        log.warn("cron_stop_timeout", "tasks still running at shutdown", { tasks: [...inFlight.keys()] });
    },
    runOnce(name) {
      const task = tasks.find((t) => t.name === name);
      if (!task) return Promise.reject(new AppError("unknown_task", 404, { name }));
      return execute(task, "manual");
    },
  };
}
