// The uploads a service is receiving right now, so a shutdown can cut them and wait until their partial
// files are gone before the process exits (SIGTERM mid-upload leaves nothing under data/uploads).
import { AppError } from "../errors";

export type UploadTracker = {
  /** Registers an upload; `abort` fails it. Returns the function to call when it has cleaned up. */
  track(abort: (err: AppError) => void): () => void;
  /** Fails every upload in progress with 503 shutting_down, refuses new ones, resolves once all cleaned up. */
  abortAll(): Promise<void>;
  readonly closed: boolean;
};

export function createUploadTracker(): UploadTracker {
  const active = new Map<(err: AppError) => void, Promise<void>>();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    track(abort) {
      const done = Promise.withResolvers<void>();
      active.set(abort, done.promise);
      if (closed) abort(new AppError("shutting_down", 503));
      return () => {
        active.delete(abort);
        done.resolve();
      };
    },
    async abortAll() {
      closed = true;
      const waits = [...active.values()];
      for (const abort of active.keys()) abort(new AppError("shutting_down", 503));
      await Promise.allSettled(waits);
    },
  };
}
