// The worker pool: MM_WORKERS slots that claim rows and run them. State lives on the rows; the only
// memory here is which jobs this process is running right now and how to abort them.
// Every timer here survives a failing database (a lock held by another process past busy_timeout, a full
// disk): the claim loop backs off, a missed heartbeat is logged and retried on the next beat.

import { noteStorageFault, noteStorageOk } from "../db";
import { describeError } from "../errors";
import type { JobRow } from "./store";
import { type AbortReason, backoffMs, runJob, type WorkerContext } from "./worker";

export type PoolOptions = {
  slots: number;
  maxPerOwner: number;
  timeoutMs: number;
  heartbeatMs: number;
  /** How often to look for work nobody announced (other processes, owners under their limit again). */
  pollMs: number;
  canClaim: () => boolean;
  /** ffmpeg processes per job (MM_JOB_PROCESSES): "auto" lets a job alone use both cores. */
  processes?: "auto" | "1";
};

export type Pool = {
  start(): void;
  /** Asks the pool to look for work now (after a submit). */
  wake(): void;
  /** Aborts the run of `publicId` in this process, if any. */
  abort(publicId: string, reason: AbortReason): boolean;
  stop(graceMs: number): Promise<void>;
  idle(): Promise<void>;
};

type Running = { controller: AbortController; done: Promise<void> };

/** Longest pause of the claim loop or the heartbeat after repeated failures: while another process holds
 * the write lock, every attempt blocks the event loop for busy_timeout. */
const BACKOFF_MAX_MS = 30_000;

export function createPool(ctx: WorkerContext, o: PoolOptions): Pool {
  const running = new Map<string, Running>();
  let active = false;
  let poll: ReturnType<typeof setInterval> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];
  // Aborted when stop() gives up waiting: runs stop retrying state writes and leave rows to recovery.
  const stopping = new AbortController();
  let claimFailures = 0;
  let claimPausedUntil = 0;
  let beatFailures = 0;
  let beatPausedUntil = 0;

  const settleIdle = () => {
    if (running.size > 0) return;
    for (const w of idleWaiters) w();
    idleWaiters = [];
  };

  /** Whether queued jobs wait; when the database cannot say, assume they do (the cautious choice). */
  const othersWait = () => {
    try {
      return ctx.store.hasQueued();
    } catch {
      return true;
    }
  };

  /** Starts `row`; `claimedWith` counts the jobs claimed in the same batch (itself included). */
  const launch = (row: JobRow, claimedWith: number) => {
    const controller = new AbortController();
    // A job alone may use both cores (analysis beside the chain, a split search); when other jobs run or
    // wait, each gets one process so the pool's slots, not one job, share the machine.
    const alone = o.slots === 1 || (running.size === 0 && claimedWith === 1 && !othersWait());
    const processes = alone && o.processes !== "1" ? 2 : 1;
    const timer = setTimeout(() => controller.abort("timeout" satisfies AbortReason), o.timeoutMs);
    const done = runJob(ctx, row, controller.signal, processes, stopping.signal)
      .catch((err: unknown) =>
        // runJob never throws; this only keeps a bug from becoming an unhandled rejection.
        ctx.log.error("job_run_failed", describeError(err), { task_id: row.publicId }),
      )
      .finally(() => {
        clearTimeout(timer);
        running.delete(row.publicId);
        pump();
        settleIdle();
      });
    running.set(row.publicId, { controller, done });
  };

  /** Claims rows until the slots are full or nothing is runnable. Never throws. */
  function pump(): void {
    if (performance.now() < claimPausedUntil) return;
    try {
      while (active && running.size < o.slots && o.canClaim()) {
        // A read first (never blocked in WAL): an idle poll then takes no write lock, and one held by
        // another process costs nothing until there is work to claim.
        if (!ctx.store.hasQueued()) return;
        // Every free slot in one claim (one round trip on Postgres, one transaction on SQLite).
        const rows = ctx.store.claimBatch(ctx.workerId, o.maxPerOwner, ctx.now(), o.slots - running.size);
        claimFailures = 0;
        noteStorageOk(ctx.layout.root);
        if (rows.length === 0) return;
        for (const row of rows) launch(row, rows.length);
      }
    } catch (err) {
      // The rows are untouched (the claim rolled back): try again after a pause that grows with failures.
      claimFailures++;
      const pause = backoffMs(claimFailures, 1000, BACKOFF_MAX_MS);
      claimPausedUntil = performance.now() + pause;
      ctx.log.error("job_claim_failed", describeError(err), {
        error: describeError(err),
        fault: noteStorageFault(ctx.layout.root, err),
        failures: claimFailures,
        retry_in_ms: pause,
      });
    }
  }

  const beat = () => {
    if (performance.now() < beatPausedUntil) return;
    const now = ctx.now();
    for (const [id, r] of running) {
      try {
        const row = ctx.store.findByPublicId(id);
        // Cancelled from another process (the admin CLI): stop ffmpeg now rather than finish for nothing.
        if (row && row.status !== "running") r.controller.abort("cancelled" satisfies AbortReason);
        else if (row) ctx.store.touchHeartbeat(row.id, ctx.workerId, now);
        beatFailures = 0;
      } catch (err) {
        // Beat again later (the other rows would only meet the same lock); a row goes stale only if beats
        // keep failing for MM_HEARTBEAT_STALE_S, and the sweep cannot write then either.
        beatFailures++;
        const pause = backoffMs(beatFailures, o.heartbeatMs, BACKOFF_MAX_MS);
        beatPausedUntil = performance.now() + pause;
        ctx.log.warn("job_heartbeat_failed", describeError(err), {
          error: describeError(err),
          task_id: id,
          fault: noteStorageFault(ctx.layout.root, err),
          retry_in_ms: pause,
        });
        return;
      }
    }
  };

  return {
    start() {
      if (active) return;
      active = true;
      poll = setInterval(pump, o.pollMs);
      heartbeat = setInterval(beat, o.heartbeatMs);
      pump();
    },
    wake() {
      // Called after a row was written (a submit): the database takes writes again.
      claimPausedUntil = 0;
      if (scheduled || !active) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        pump();
      });
    },
    abort(publicId, reason) {
      const r = running.get(publicId);
      if (!r) return false;
      r.controller.abort(reason);
      return true;
    },
    async stop(graceMs) {
      active = false;
      clearInterval(poll);
      const all = () => Promise.all([...running.values()].map((r) => r.done));
      const grace = new Promise<"late">((res) => setTimeout(() => res("late"), graceMs).unref?.());
      if ((await Promise.race([all().then(() => "ok" as const), grace])) === "late") {
        for (const r of running.values()) r.controller.abort("shutdown" satisfies AbortReason);
        stopping.abort();
        await all();
      }
      clearInterval(heartbeat);
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise((res) => idleWaiters.push(res));
    },
  };
}
