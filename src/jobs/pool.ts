// The worker pool: MM_WORKERS slots that claim rows and run them. State lives on the rows; the only
// memory here is which jobs this process is running right now and how to abort them.

import type { JobRow } from "./store";
import { type AbortReason, runJob, type WorkerContext } from "./worker";

export type PoolOptions = {
  slots: number;
  maxPerOwner: number;
  timeoutMs: number;
  heartbeatMs: number;
  /** How often to look for work nobody announced (other processes, owners under their limit again). */
  pollMs: number;
  canClaim: () => boolean;
};

export type Pool = {
  start(): void;
  /** Asks the pool to look for work now (after a submit). */
  wake(): void;
  /** Aborts the run of `publicId` in this process, if any. */
  abort(publicId: string, reason: AbortReason): boolean;
  stop(graceMs: number): Promise<void>;
  idle(): Promise<void>;
  runningCount(): number;
};

type Running = { controller: AbortController; done: Promise<void> };

export function createPool(ctx: WorkerContext, o: PoolOptions): Pool {
  const running = new Map<string, Running>();
  let active = false;
  let poll: ReturnType<typeof setInterval> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (running.size > 0) return;
    for (const w of idleWaiters) w();
    idleWaiters = [];
  };

  const launch = (row: JobRow) => {
    const controller = new AbortController();
    // A job alone may use both cores (analysis beside the chain, a split search); when other jobs run or
    // wait, each gets one process so the pool's slots, not one job, share the machine.
    const alone = o.slots === 1 || (running.size === 0 && !ctx.store.hasQueued());
    const processes = alone ? 2 : 1;
    const timer = setTimeout(() => controller.abort("timeout" satisfies AbortReason), o.timeoutMs);
    const done = runJob(ctx, row, controller.signal, processes).finally(() => {
      clearTimeout(timer);
      running.delete(row.publicId);
      pump();
      settleIdle();
    });
    running.set(row.publicId, { controller, done });
  };

  /** Claims rows until the slots are full or nothing is runnable. */
  function pump(): void {
    while (active && running.size < o.slots && o.canClaim()) {
      const row = ctx.store.claimNext(ctx.workerId, o.maxPerOwner, ctx.now());
      if (!row) return;
      launch(row);
    }
  }

  const beat = () => {
    const now = ctx.now();
    for (const [id, r] of running) {
      const row = ctx.store.findByPublicId(id);
      // Cancelled from another process (the admin CLI): stop ffmpeg now rather than finish for nothing.
      if (row && row.status !== "running") r.controller.abort("cancelled" satisfies AbortReason);
      else if (row) ctx.store.touchHeartbeat(row.id, ctx.workerId, now);
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
        await all();
      }
      clearInterval(heartbeat);
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise((res) => idleWaiters.push(res));
    },
    runningCount: () => running.size,
  };
}
