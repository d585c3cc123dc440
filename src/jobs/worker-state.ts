// The worker's context and its storage-fault handling: progress and publish writes are best effort (a
// failure is logged and noted for health), a final state write is retried with backoff until it goes
// through or the process stops (worker.ts).

import type { BillingSeam } from "../billing";
import type { Config } from "../config";
import { noteStorageFault, noteStorageOk } from "../db";
import { describeError } from "../errors";
import type { DataLayout, FileStore } from "../files";
import type { Logger } from "../log";
import type { JobEngine } from "./engine";
import type { JobStore } from "./store";

/** Why a run was aborted: the pool sets one of these as the AbortSignal's reason. */
export type AbortReason = "timeout" | "cancelled" | "shutdown" | "stale";

export type WorkerContext = {
  store: JobStore;
  config: Config;
  log: Logger;
  layout: DataLayout;
  /** Where inputs and results live (the data folder or a bucket); the engine works on local copies. */
  files: FileStore;
  engine: JobEngine;
  billing: BillingSeam;
  workerId: string;
  now: () => number;
  /** Publishes the row's current state (state or progress event). */
  publish: (publicId: string, type: "state" | "progress") => void;
  /** Waits between attempts of a final state write (default STATE_RETRY_MS); tests pass shorter ones. */
  stateRetryMs?: readonly number[];
};

/** Exponential backoff: `baseMs` after the first failure, doubling, at most `maxMs`. */
export const backoffMs = (failures: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 20));
/** Backoff of a failed final state write: about a minute in all, then the row is left to recovery. */
export const STATE_RETRY_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000];

/** Runs `fn`, logging (never throwing) a failure as `event`; storage faults are noted for health. */
export function bestEffort(ctx: WorkerContext, log: Logger, event: string, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    log.warn(event, describeError(err), {
      error: describeError(err),
      fault: noteStorageFault(ctx.layout.root, err),
    });
    return false;
  }
}

export const publishSafely = (
  ctx: WorkerContext,
  log: Logger,
  publicId: string,
  type: "state" | "progress",
) => bestEffort(ctx, log, "job_publish_failed", () => ctx.publish(publicId, type));

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((res) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      res();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

type Committed<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs a state write until it goes through, retrying with backoff whatever it failed on (a lock held past
 * busy_timeout, a full disk). Gives up after the last delay, or at once when `stopping` has aborted (the
 * process is going down: the row stays as it was, and recovery at the next start takes it from there).
 */
export async function commitState<T>(
  ctx: WorkerContext,
  log: Logger,
  step: string,
  write: () => T,
  stopping?: AbortSignal,
): Promise<Committed<T>> {
  const delays = ctx.stateRetryMs ?? STATE_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const value = write();
      noteStorageOk(ctx.layout.root);
      if (attempt > 1) log.info("job_state_write_recovered", step, { step, attempts: attempt });
      return { ok: true, value };
    } catch (err) {
      const delay = delays[attempt - 1];
      const giveUp = delay === undefined || stopping?.aborted === true;
      log.error("job_state_write_failed", describeError(err), {
        error: describeError(err),
        step,
        attempt,
        fault: noteStorageFault(ctx.layout.root, err),
        retry_in_ms: giveUp ? null : delay,
      });
      if (giveUp) return { ok: false };
      await pause(delay, stopping);
    }
  }
}
