// The job service: the one object HTTP, the bot, the CLI and the scheduler use. It writes rows through
// the JobStore (store.ts; SQLite in ./sqlite, Postgres in ./pg), queues them through submit.ts (one job
// or a whole set in one transaction), runs them through the pool, and tells listeners about every change.

import { availableParallelism, hostname } from "node:os";
import { type BillingSeam, freeBilling } from "../billing";
import type { Config } from "../config";
import type { Backend, DbHandle } from "../db";
import { AppError } from "../errors";
import { createLocalFileStore, type DataLayout, type FileStore } from "../files";
import type { Logger } from "../log";
import { createJobStore } from "./backend";
import { createBotDelivery } from "./delivery";
import { audioEngine, type JobEngine } from "./engine";
import { createEventBus } from "./events";
import { normalisePublicId, tokensMatch } from "./ids";
import {
  expireOldResults,
  type MaintenanceDeps,
  recoverInterrupted,
  sweepDeadWorkers,
  sweepStaleJobs,
} from "./maintenance";
import { billableOf, inputFilesOf, resultFilesOf } from "./naming";
import { createOwnerCleanup } from "./owner-cleanup";
import { createPool } from "./pool";
import { createRemoteReceiver } from "./remote";
import { createResultExtras } from "./results";
import { createRetry } from "./retry";
import { createSqliteJobStore } from "./sqlite";
import type { JobRow, JobStore, NewJobRow } from "./store";
import { createSubmit, newJobRow } from "./submit";
import type { JobService, JobView, SubmitRequest } from "./types";
import { toView } from "./view";

export type JobServiceDeps = {
  /** The database the jobs table lives in (SQLite or Postgres); the service and the CLI pass this. */
  backend?: Backend;
  /** A SQLite handle instead of `backend` (tests and benches on one file). */
  dbh?: DbHandle;
  /** The jobs table itself; defaults to the store on `backend` (or `dbh`). */
  store?: JobStore;
  config: Config;
  log: Logger;
  layout: DataLayout;
  /** Where inputs and results live; defaults to the data folder. */
  files?: FileStore;
  billing?: BillingSeam;
  /** Maintenance hook: while it returns false the pool claims nothing. */
  canClaim?: () => boolean;
  /** Tests and benchmarks swap the audio engine or the clock. */
  engine?: JobEngine;
  now?: () => number;
  /** How often an idle pool looks for work it was not told about (default 1000 ms). */
  pollMs?: number;
  /** The id this process's claims carry (a cluster passes its node id; default pid@host:time). */
  workerId?: string;
  /** Cluster: tells the other nodes a job changed (after the write committed). */
  relay?: (note: { publicId: string; type: "state" | "progress" }) => void;
  /** Cluster: the live nodes' ids (a bot delivery claimed by another id is due again). */
  liveNodes?: () => readonly string[];
  /** CPUs this process may use (default: os.availableParallelism()); tests pass it to stay machine-free. */
  cpus?: number;
};

function storeOf(deps: JobServiceDeps): JobStore {
  if (deps.backend) return createJobStore(deps.backend);
  if (deps.dbh) return createSqliteJobStore(deps.dbh);
  throw new Error("createJobService: a backend, a dbh or a store is required");
}

export function createJobService(deps: JobServiceDeps): JobService {
  const { config, log, layout } = deps;
  const files = deps.files ?? createLocalFileStore(layout);
  const store = deps.store ?? storeOf(deps);
  const billing = deps.billing ?? freeBilling;
  const now = deps.now ?? Date.now;
  const workerId = deps.workerId ?? `${process.pid}@${hostname()}:${Date.now().toString(36)}`;
  const relay = deps.relay;
  const bus = createEventBus(log, relay && ((e) => relay({ publicId: e.job.id, type: e.type })));

  const view = (row: JobRow): JobView =>
    toView(row, row.status === "queued" ? store.queuePosition(row) : null);
  const find = (publicId: string) => {
    const id = normalisePublicId(publicId);
    return id ? store.findByPublicId(id) : undefined;
  };
  const publish = (publicId: string, type: "state" | "progress") => {
    const row = store.findByPublicId(publicId);
    if (row) bus.emit({ type, job: view(row) });
  };

  const pool = createPool(
    {
      ...{ store, config, log, layout, files, engine: deps.engine ?? audioEngine },
      ...{ billing, workerId, now, publish },
    },
    {
      slots: config.MM_WORKERS,
      maxPerOwner: config.MM_MAX_RUNNING_PER_OWNER,
      timeoutMs: config.MM_JOB_TIMEOUT_S * 1000,
      heartbeatMs: Math.max(1000, Math.min(10_000, (config.MM_HEARTBEAT_STALE_S * 1000) / 4)),
      pollMs: deps.pollMs ?? 1000,
      canClaim: deps.canClaim ?? (() => true),
      // "auto" gives a lone job a second process only where there is a second CPU: on one, the two would
      // take turns on it and cost ≈ 8 % more CPU (the split chain's pre-roll) for no time saved.
      processes: (deps.cpus ?? availableParallelism()) < 2 ? "1" : config.MM_JOB_PROCESSES,
    },
  );
  const extras = createResultExtras({
    log,
    files,
    doneRow: (publicId) => {
      const row = find(publicId);
      return row?.status === "done" && row.resultPath ? row : undefined;
    },
    timeoutMs: config.MM_JOB_TIMEOUT_S * 1000,
  });
  const maintenance: MaintenanceDeps = { store, layout, files, log, billing, publish };
  const counted = (swept: readonly JobRow[]) => ({
    requeued: swept.filter((r) => r.status === "queued").length,
    failed: swept.filter((r) => r.status === "failed").length,
  });

  const newRow = (req: SubmitRequest, publicId: string): NewJobRow => newJobRow(req, publicId, now());
  const submits = createSubmit({
    ...{ store, files, billing, log, bus, view, now },
    // Read on each use: a runtime setting (src/settings/runtime.ts) may change it.
    maxQueued: () => config.MM_MAX_QUEUED_PER_OWNER,
    wake: () => pool.wake(),
  });

  function cancel(publicId: string, actor: string): JobView {
    const before = find(publicId);
    if (!before) throw new AppError("job_not_found", 404, { id: publicId });
    const row = store.markCancelled(before.publicId, now());
    if (!row) throw new AppError("job_already_finished", 409, { id: before.publicId, status: before.status });
    billing.refund({ ...billableOf(row), cost: row.cost }, "cancelled");
    log.info("job_cancelled", "", {
      task_id: row.publicId,
      user_id: row.userId,
      actor,
      was: before.status,
    });
    if (!pool.abort(row.publicId, "cancelled") && row.inputPath) {
      // Not running here: nothing else will delete its upload.
      files.remove(inputFilesOf(row.inputPath));
      store.clearInputPath(row.id);
    }
    publish(row.publicId, "state");
    pool.wake();
    return view(store.findByPublicId(row.publicId) ?? row);
  }

  return {
    ...submits,
    files,
    get: (publicId) => {
      const row = find(publicId);
      return row ? view(row) : undefined;
    },
    checkToken(publicId, token) {
      const row = find(publicId);
      return row !== undefined && tokensMatch(row.accessToken, token);
    },
    accessToken: (publicId) => find(publicId)?.accessToken,
    listByOwner: (ownerKey, limit) => store.listByOwner(ownerKey, limit).map(view),
    listByBatch: (batchId) => store.listByBatch(batchId).map(view),
    historyOf(userId, limit, after) {
      // One row more than the page tells whether another page follows.
      const rows = store.pageOfUser(userId, limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const next =
        rows.length > limit && last ? { createdAt: last.createdAt, publicId: last.publicId } : null;
      return { jobs: page.map((r) => ({ view: view(r), token: r.accessToken })), next };
    },
    cancel,
    retry: createRetry({ store, files, billing, log, find, newRow, view, bus, wake: () => pool.wake() }),
    deleteResult(publicId, actor) {
      const row = find(publicId);
      if (!row) throw new AppError("job_not_found", 404, { id: publicId });
      const was = store.expireResultNow(row.publicId, now());
      if (!was) throw new AppError("job_no_result", 409, { id: row.publicId, status: row.status });
      let bytes = 0;
      if (was.resultPath) {
        bytes = was.resultBytes ?? 0;
        files.remove(resultFilesOf(was.resultPath));
      }
      log.info("job_result_deleted", "", { task_id: row.publicId, user_id: row.userId, actor, bytes });
      publish(row.publicId, "state");
      return { bytes };
    },
    ...createOwnerCleanup({ store, files, log, cancel, now }),
    resultFile(publicId) {
      const row = find(publicId);
      if (row?.status !== "done" || !row.resultPath || !row.resultName) return undefined;
      const mime = row.resultMime ?? "application/octet-stream";
      return { path: row.resultPath, name: row.resultName, bytes: row.resultBytes ?? 0, mime };
    },
    plotsOf: (publicId) => extras.plotsOf(publicId),
    beforeAudio: (publicId) => extras.beforeAudio(publicId),
    alternates: (publicId) => extras.alternates(publicId),
    requestAlternate: (publicId, format) => extras.requestAlternate(publicId, format),
    alternateFile: (publicId, format) => extras.alternateFile(publicId, format),
    alternatesIdle: () => extras.idle(),
    subscribe: (publicId, fn) => bus.subscribe(normalisePublicId(publicId) ?? publicId, fn),
    onEvent: (fn) => bus.onEvent(fn),
    setBotMessage(publicId, chatId, messageId) {
      const id = normalisePublicId(publicId);
      if (id) store.setBotMessage(id, chatId, messageId);
    },
    ...createBotDelivery({ store, view, nodeId: workerId, liveNodes: deps.liveNodes, now }),
    reassignOwner(from, to) {
      const moved = store.reassignOwner(from, to);
      const o = { user_id: to.userId, from_user_id: from.userId, owner_key: to.ownerKey, moved };
      log.info("jobs_reassigned", "", o);
      return moved;
    },
    recover(o = {}) {
      const at = now();
      const stale = o.staleOnly ? at - config.MM_HEARTBEAT_STALE_S * 1000 : undefined;
      return recoverInterrupted(maintenance, workerId, at, { staleBefore: stale, live: o.live });
    },
    sweepDeadWorkers(live) {
      const swept = sweepDeadWorkers(maintenance, live, now());
      // A row of ours swept (this node was paused past the dead interval): its run stops here.
      for (const row of swept) pool.abort(row.publicId, "stale");
      pool.wake();
      return counted(swept);
    },
    receiveRemote: createRemoteReceiver({ store, bus, view, workerId, pool }),
    sweepStale(at = now()) {
      const swept = sweepStaleJobs(maintenance, at - config.MM_HEARTBEAT_STALE_S * 1000, at);
      for (const row of swept) pool.abort(row.publicId, "stale");
      pool.wake();
      return counted(swept);
    },
    expireResults: (at = now()) => expireOldResults(maintenance, at),
    counts: () => store.countByStatus(),
    reports: store,
    retention: store,
    start: () => pool.start(),
    stop: (graceMs = 10_000) => pool.stop(graceMs),
    idle: () => pool.idle(),
  };
}
