// The in-process event bus: per-job subscribers (SSE streams) and global listeners (bot edits, admin
// notifications). A throwing listener is logged and never breaks the worker that emitted.

import type { Logger } from "../log";
import type { JobEvent } from "./types";

export type EventBus = {
  /** An event of this process: delivered here, then forwarded to the other nodes (when clustered). */
  emit(e: JobEvent): void;
  /** An event another node announced: delivered here only, marked `remote`. */
  receive(e: JobEvent): void;
  subscribe(publicId: string, fn: (e: JobEvent) => void): () => void;
  onEvent(fn: (e: JobEvent) => void): () => void;
};

export function createEventBus(log: Logger, forward?: (e: JobEvent) => void): EventBus {
  const perJob = new Map<string, Set<(e: JobEvent) => void>>();
  const global = new Set<(e: JobEvent) => void>();
  const call = (fn: (e: JobEvent) => void, e: JobEvent) => {
    try {
      fn(e);
    } catch (err) {
      log.error("job_listener_failed", "", { task_id: e.job.id, err });
    }
  };
  const deliver = (e: JobEvent) => {
    for (const fn of [...(perJob.get(e.job.id) ?? [])]) call(fn, e);
    for (const fn of [...global]) call(fn, e);
  };
  return {
    emit(e) {
      deliver(e);
      if (!forward) return;
      try {
        forward(e);
      } catch (err) {
        log.error("job_event_forward_failed", String(err), { task_id: e.job.id, err });
      }
    },
    receive: (e) => deliver({ ...e, remote: true }),
    subscribe(publicId, fn) {
      let set = perJob.get(publicId);
      if (!set) {
        set = new Set();
        perJob.set(publicId, set);
      }
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0 && perJob.get(publicId) === set) perJob.delete(publicId);
      };
    },
    onEvent(fn) {
      global.add(fn);
      return () => global.delete(fn);
    },
  };
}
