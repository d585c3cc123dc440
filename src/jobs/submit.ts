// Queuing validated inputs: one job (submit, submitUpload) or several in ONE store transaction
// (submitUploads: a batch, an album, the bot's group of files). Rows and their charges commit together or
// not at all, so neither a refusal nor a crash halfway leaves part of a set queued or charged; a refused
// submit leaves none of its files in the file store.

import { renameSync } from "node:fs";
import type { BillingSeam } from "../billing";
import { AppError } from "../errors";
import type { FileStore } from "../files";
import type { Logger } from "../log";
import type { EventBus } from "./events";
import { newAccessToken, newPublicId } from "./ids";
import { inputFilesOf, referencePathsOf } from "./naming";
import type { JobRow, JobStore, NewAlbumReport, NewJobRow } from "./store";
import type { JobService, JobView, SubmitRequest } from "./types";

export type SubmitDeps = {
  store: JobStore;
  files: FileStore;
  billing: BillingSeam;
  log: Logger;
  bus: EventBus;
  view: (row: JobRow) => JobView;
  now: () => number;
  /** MM_MAX_QUEUED_PER_OWNER, read on each use (a runtime setting may change it). */
  maxQueued: () => number;
  wake: () => void;
};

/** The row a request becomes (also the retry's copy of a job). */
export function newJobRow(req: SubmitRequest, publicId: string, createdAt: number): NewJobRow {
  return {
    publicId,
    accessToken: newAccessToken(),
    ownerKey: req.ownerKey,
    userId: req.userId ?? null,
    source: req.source,
    kind: req.kind,
    priority: req.priority ?? 0,
    batchId: req.batchId ?? null,
    lang: req.lang,
    params: JSON.stringify(req.settings),
    originalName: req.originalName,
    inputPath: req.inputPath,
    inputBytes: req.inputBytes,
    cost: 0,
    botChatId: req.botChatId ?? null,
    botMessageId: req.botMessageId ?? null,
    // A bot job's result is owed to its chat until a bot leader claims it (bot/progress.ts).
    botDelivery: req.botChatId ? "pending" : null,
    botUpdateKey: req.botUpdateKey ?? null,
    createdAt,
  };
}

/** A bot's album (one batch, album settings, one chat) owes its chat an album report once it is done. */
function albumReportOf(reqs: readonly SubmitRequest[], createdAt: number): NewAlbumReport | undefined {
  const first = reqs[0];
  if (!first?.batchId || !first.botChatId || first.settings.album !== true) return undefined;
  return { batchId: first.batchId, chatId: first.botChatId, createdAt };
}

type Submits = Pick<JobService, "submit" | "submitUpload" | "submitUploads" | "assertQueueRoom">;

export function createSubmit(d: SubmitDeps): Submits {
  const { store, files, billing, log } = d;

  const queueFull = (ownerKey: string) => {
    log.info("job_refused", "queue limit", { owner_key: ownerKey, error_code: "queue_limit_reached" });
    return new AppError("queue_limit_reached", 429, { limit: d.maxQueued() });
  };

  /** References move beside the input before the row exists, so a worker never sees the row without them. */
  function placeReferences(req: SubmitRequest): string[] {
    const refs = req.referencePaths ?? [];
    const slots = referencePathsOf(req.inputPath);
    if (refs.length > slots.length) throw new AppError("too_many_references", 400, { max: slots.length });
    for (const [i, p] of refs.entries()) renameSync(p, slots[i] as string);
    return slots;
  }

  /** Public ids free in the store and distinct within the set. */
  function freshIds(n: number): string[] {
    const ids = new Set<string>();
    while (ids.size < n) {
      const id = newPublicId();
      if (!store.findByPublicId(id)) ids.add(id);
    }
    return [...ids];
  }

  /** Throws queue_limit_reached unless every owner of `reqs` has room for its share of them. */
  function assertRoomFor(reqs: readonly SubmitRequest[]): void {
    const wanted = new Map<string, number>();
    for (const r of reqs) wanted.set(r.ownerKey, (wanted.get(r.ownerKey) ?? 0) + 1);
    for (const [owner, n] of wanted)
      if (store.countQueuedOfOwner(owner) + n > d.maxQueued()) throw queueFull(owner);
  }

  /** Inserts every request's row in one transaction (each charged inside it), or none; `slots` go on refusal. */
  function insertAll(reqs: readonly SubmitRequest[], slots: readonly string[]): JobView[] {
    let rows: JobRow[] | undefined;
    try {
      // Checked before billing so a refused set is never charged; enqueueAll checks again atomically.
      assertRoomFor(reqs);
      const ids = freshIds(reqs.length);
      const at = d.now();
      rows = store.enqueueAll(
        reqs.map((r, i) => newJobRow(r, ids[i] as string, at)),
        d.maxQueued(),
        (i) => {
          const r = reqs[i] as SubmitRequest;
          const job = { publicId: ids[i] as string, ownerKey: r.ownerKey, userId: r.userId ?? null };
          return billing.reserve({ ...job, kind: r.kind, batchId: r.batchId ?? null });
        },
        albumReportOf(reqs, at),
      );
      // Another process filled the owner's queue between the check and the insert.
      if (!rows) throw queueFull(reqs[0]?.ownerKey ?? "");
    } catch (err) {
      files.remove(slots);
      throw err;
    }
    // Told only once the whole set committed: no listener ever sees a job of a set that was rolled back.
    const views = rows.map((row) => {
      log.info("job_queued", "", {
        task_id: row.publicId,
        user_id: row.userId,
        owner_key: row.ownerKey,
        kind: row.kind,
        source: row.source,
        priority: row.priority,
        input_bytes: row.inputBytes,
        batch_id: row.batchId,
      });
      const v = d.view(row);
      d.bus.emit({ type: "state", job: v });
      return v;
    });
    d.wake();
    return views;
  }

  async function submitUploads(reqs: readonly SubmitRequest[]): Promise<JobView[]> {
    if (reqs.length === 0) return [];
    const slots: string[] = [];
    try {
      for (const r of reqs) slots.push(...placeReferences(r));
    } catch (err) {
      files.remove(slots);
      throw err;
    }
    const all = reqs.flatMap((r) => inputFilesOf(r.inputPath));
    try {
      await files.publish(all);
    } catch (err) {
      files.remove(all);
      log.error("job_upload_store_failed", String(err), { owner_key: reqs[0]?.ownerKey, where: files.where });
      throw new AppError("storage_unavailable", 503, {}, err);
    }
    try {
      return insertAll(reqs, slots);
    } catch (err) {
      // Refused (queue, billing, a failed insert): the caller deletes its local uploads, the store's copies go here.
      if (files.kind !== "local") files.remove(all);
      throw err;
    }
  }

  return {
    submit: (req) => insertAll([req], placeReferences(req))[0] as JobView,
    async submitUpload(req) {
      const [v] = await submitUploads([req]);
      return v as JobView;
    },
    submitUploads,
    assertQueueRoom(ownerKey, count = 1) {
      if (store.countQueuedOfOwner(ownerKey) + count > d.maxQueued()) throw queueFull(ownerKey);
    },
  };
}
