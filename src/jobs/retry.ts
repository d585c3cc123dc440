// An admin's retry of a failed or cancelled job: a new job on the old one's kept input (taken from the old
// row, given back if the new one cannot be queued), charged only when asked, past the owner's queue cap.

import { existsSync } from "node:fs";
import type { BillingSeam } from "../billing";
import { AppError } from "../errors";
import type { FileStore } from "../files";
import type { Logger } from "../log";
import type { EventBus } from "./events";
import { newPublicId } from "./ids";
import type { JobRow, JobStore, NewJobRow } from "./store";
import type { JobService, JobView, SubmitRequest } from "./types";

export type RetryDeps = {
  store: JobStore;
  files: FileStore;
  billing: BillingSeam;
  log: Logger;
  find: (publicId: string) => JobRow | undefined;
  newRow: (req: SubmitRequest, publicId: string) => NewJobRow;
  view: (row: JobRow) => JobView;
  bus: EventBus;
  wake: () => void;
};

export function createRetry(d: RetryDeps): JobService["retry"] {
  const { store, files, billing, log, find, newRow, view, bus } = d;
  return (publicId, o) => {
    const old = find(publicId);
    if (!old) throw new AppError("job_not_found", 404, { id: publicId });
    if (old.status !== "failed" && old.status !== "cancelled")
      throw new AppError("job_not_retryable", 409, { id: old.publicId, status: old.status });
    const input = store.takeInput(old.id);
    // A bucket's copy is checked by the worker that runs it (job_input_gone then).
    if (!input || (files.kind === "local" && !existsSync(input)))
      throw new AppError("job_input_gone", 409, { id: old.publicId });
    let publicId2 = newPublicId();
    while (store.findByPublicId(publicId2)) publicId2 = newPublicId();
    const req: SubmitRequest = {
      ownerKey: old.ownerKey,
      userId: old.userId,
      source: old.source,
      kind: old.kind,
      inputPath: input,
      inputBytes: old.inputBytes ?? 0,
      originalName: old.originalName,
      settings: (JSON.parse(old.params) ?? {}) as SubmitRequest["settings"],
      priority: old.priority,
      lang: old.lang as SubmitRequest["lang"],
    };
    const billable = {
      publicId: publicId2,
      ownerKey: old.ownerKey,
      userId: old.userId,
      kind: old.kind,
      batchId: null,
    };
    let row: JobRow | undefined;
    try {
      // An admin's retry is not the owner queueing more: past the cap (the row still counts as queued).
      row = store.enqueue(
        { ...newRow(req, publicId2), batchId: old.batchId },
        Number.MAX_SAFE_INTEGER,
        o.charge ? () => billing.reserve(billable) : () => 0,
      );
    } catch (err) {
      store.giveInputBack(old.id, input);
      throw err;
    }
    if (!row) {
      store.giveInputBack(old.id, input);
      throw new AppError("job_input_gone", 409, { id: old.publicId });
    }
    log.info("job_retried", "", {
      task_id: row.publicId,
      user_id: row.userId,
      retry_of: old.publicId,
      charged: o.charge,
      cost: row.cost,
      actor: o.actor,
    });
    const v = view(row);
    bus.emit({ type: "state", job: v });
    d.wake();
    return v;
  };
}
