// A user's jobs when their account goes (or is emptied): queued jobs cancelled (and refunded), and every
// file the user's rows still name removed — uploads with their references, results with their siblings —
// the rows kept, their paths forgotten.

import { existsSync } from "node:fs";
import { AppError } from "../errors";
import type { FileStore } from "../files";
import type { Logger } from "../log";
import { inputFilesOf, resultFilesOf } from "./naming";
import type { JobStore } from "./store";
import type { JobService, JobView } from "./types";

export type OwnerCleanupDeps = {
  store: JobStore;
  files: FileStore;
  log: Logger;
  cancel: (publicId: string, actor: string) => JobView;
  now: () => number;
};

export function createOwnerCleanup(
  d: OwnerCleanupDeps,
): Pick<JobService, "cancelQueuedOfUser" | "purgeOfUser"> {
  const { store, files, log, cancel, now } = d;
  return {
    cancelQueuedOfUser(userId, ownerKeys, actor) {
      const out: JobView[] = [];
      for (const id of store.queuedOfUser(userId, ownerKeys)) {
        try {
          out.push(cancel(id, actor));
        } catch (err) {
          // Finished between the read and the cancel: nothing to cancel or refund.
          if (!(err instanceof AppError && err.code === "job_already_finished")) throw err;
        }
      }
      return out;
    },
    purgeOfUser(userId, ownerKeys, actor) {
      let removed = 0;
      const rows = store.filesOfUser(userId, ownerKeys);
      for (const r of rows) {
        if (r.status === "queued" || r.status === "running")
          try {
            cancel(r.publicId, actor);
          } catch (err) {
            if (!(err instanceof AppError && err.code === "job_already_finished")) throw err;
          }
      }
      // Re-read: a cancel deletes a waiting upload itself; a running job's upload goes with its worker.
      const left = store.filesOfUser(userId, ownerKeys);
      for (const r of left) {
        const inputs = r.inputPath ? inputFilesOf(r.inputPath) : [];
        const results = r.resultPath ? resultFilesOf(r.resultPath) : [];
        // Counted: the uploads (with references) and results there were; a bucket's, those the row names.
        removed +=
          files.kind === "local"
            ? [...inputs, ...results.slice(0, 1)].filter((p) => existsSync(p)).length
            : inputs.slice(0, 1).length + results.slice(0, 1).length;
        files.remove([...inputs, ...results]);
      }
      store.forgetFiles(
        left.map((r) => r.id),
        now(),
      );
      log.info("jobs_purged_of_user", "", { user_id: userId, actor, jobs: rows.length, files: removed });
      return { jobs: rows.length, files: removed };
    },
  };
}
