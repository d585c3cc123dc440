// The job store: every read and write of the jobs table, as one narrow interface. The SQLite
// implementation lives in ./sqlite/; a Postgres one will implement the same interface, so nothing here
// names a driver type (no Database, Statement or DbHandle). Rows are plain objects with unix-ms times.
// Transitions are guarded by the status they leave, so a row changes state once even when the worker, a
// cancel and a sweep race; callers check what came back.

import type { schema } from "../db";

export type JobRow = typeof schema.jobs.$inferSelect;
/** The files a job row still names (deleting a user's files). */
export type JobFiles = Pick<JobRow, "id" | "publicId" | "status" | "inputPath" | "resultPath">;
export type NewJobRow = typeof schema.jobs.$inferInsert;
/** A row as admin tools see it: everything but the access token. */
export type JobRecord = Omit<JobRow, "accessToken">;

export type JobCounts = Record<schema.JobStatus, number> & { total: number };

export type DoneFields = {
  resultPath: string | null;
  resultName: string | null;
  /** The result's MIME type, from the engine's output format (the download's Content-Type). */
  resultMime: string | null;
  resultBytes: number | null;
  analysisBefore: string | null;
  analysisAfter: string | null;
  audioDurationS: number | null;
  realtimeFactor: number | null;
  expiresAt: number | null;
};

/** Which claims still stand: those of a live node (`live`) made at or after `staleBefore` (the lease). */
export type DeliveryLease = { live: readonly string[]; staleBefore: number };
export type DeliveryClaim = DeliveryLease & { by: string; at: number };
/** A send Telegram answered ok, or one that failed: pending again unless `giveUp` or attempts reached `maxAttempts`. */
export type DeliveryOutcome =
  | { ok: true }
  | { ok: false; error: string; giveUp: boolean; maxAttempts: number };
export type DeliverySettled = { state: "sent" | "pending" | "failed"; attempts: number };
/** The album report a bot owes a chat (bot_album_reports), by album batch. */
export type AlbumReportRow = typeof schema.botAlbumReports.$inferSelect;
/** The album report an album's enqueueAll owes its chat, written in the same transaction as its jobs. */
export type NewAlbumReport = { batchId: string; chatId: string; createdAt: number };

export type AdminJobLine = {
  publicId: string;
  status: string;
  ownerKey: string;
  progress: number;
  stage: string | null;
  originalName: string;
  createdAt: number;
};

export type FailureLine = {
  publicId: string;
  errorCode: string | null;
  ownerKey: string;
  finishedAt: number | null;
};

export type JobWindowStats = { done: number; failed: number; mean_realtime_factor: number | null };

export type UserJobCounts = { total: number; done: number; failed: number; last_at: number | null };

/** What one UTC day's jobs add to stats_daily (jobs counted by the day they finished). */
export type JobDaySummary = {
  done: number;
  failed: number;
  cancelled: number;
  /** Seconds of audio mastered (done or expired master jobs). */
  audioS: number;
  meanRealtimeFactor: number | null;
  /** Who submitted a job that day: "u<user id>" for users, else the owner key (counted once). */
  activeKeys: string[];
};

/** Where a page of a user's jobs ends: the last row's (created_at, public_id). */
export type UserJobsCursor = { createdAt: number; publicId: string };
/** A job owner as the link sees one: the user row and the owner key its jobs carry. */
export type OwnerRef = { userId: number; ownerKey: string };

/** The admin panel's job list filter (all optional but the page size). */
export type AdminJobFilter = {
  status?: readonly schema.JobStatus[];
  source?: schema.JobSource;
  userId?: number;
  ownerKey?: string;
  /** A public id (exact) or part of the original file name. */
  text?: string;
  /** Rows older than this internal id (the previous page's cursor). */
  beforeId?: number;
  limit: number;
};

export type AbandonedOptions = {
  exceptWorker?: string;
  /** Only rows whose worker is none of these (the live nodes of a cluster; empty: every worker is gone). */
  exceptWorkers?: readonly string[];
  staleBefore?: number;
  maxAttempts: number;
  now: number;
};

export interface JobStore {
  // --- queue and transitions ---
  /**
   * Inserts a queued job at its place in the fair claim order, atomically with the owner's queue cap:
   * undefined (nothing written) when the owner already has `maxQueuedPerOwner` jobs waiting. Throws on a
   * public id collision (the caller retries with a fresh id). `charge`, when given, runs inside the same
   * transaction once the cap allows the job and returns its cost (stored on the row); if it throws, or the
   * insert fails, nothing of either is written.
   */
  enqueue(row: NewJobRow, maxQueuedPerOwner: number, charge?: () => number): JobRow | undefined;
  /**
   * `enqueue` for several jobs (a batch, an album) in ONE transaction, all or nothing: undefined (nothing
   * written) when an owner's queued jobs plus its rows of the set exceed `maxQueuedPerOwner`; `charge(i)`
   * runs inside the transaction for row i, and a throw from any charge or insert leaves no row and no
   * charge of the set, so a crash or a refusal halfway never leaves part of a batch queued. The rows come
   * back in the order given, each at the fair turn it would have had enqueued one after another. With
   * `albumReport` (the bot's album) its pending report row commits with them, or not at all.
   */
  enqueueAll(
    rows: readonly NewJobRow[],
    maxQueuedPerOwner: number,
    charge?: (index: number) => number,
    albumReport?: NewAlbumReport,
  ): JobRow[] | undefined;
  /** Jobs of one owner waiting in the queue. */
  countQueuedOfOwner(ownerKey: string): number;
  findByPublicId(publicId: string): JobRow | undefined;
  listByOwner(ownerKey: string, limit: number): JobRow[];
  listByBatch(batchId: string): JobRow[];
  /** 1-based place among queued jobs in claim order (the fair order claimNext follows). */
  queuePosition(row: JobRow): number;
  /**
   * Claims the next runnable job for `workerId` (queued → running), atomically: fair across owners (they
   * take turns; priority is a bounded boost), skipping owners already running `maxRunningPerOwner` jobs.
   */
  claimNext(workerId: string, maxRunningPerOwner: number, now: number): JobRow | undefined;
  /**
   * Claims up to `limit` runnable jobs at once (a node's free slots), in claim order, as claimNext would
   * one after another and with the same running cap (counting the batch). May return fewer than `limit`
   * while more are runnable: claim again until it returns none.
   */
  claimBatch(workerId: string, maxRunningPerOwner: number, now: number, limit: number): JobRow[];
  touchHeartbeat(id: number, workerId: string, now: number): void;
  setProgress(id: number, progress: number, stage: string | null, now: number): void;
  /** running → done, only if this worker still owns the row. */
  markDone(id: number, workerId: string, f: DoneFields, now: number): JobRow | undefined;
  /**
   * running → failed, only if this worker still owns the row. With `keepInputUntil` the input path stays
   * on the row (for an admin's retry) and expires_at is set to it; expireDue then clears it.
   */
  markFailed(
    id: number,
    workerId: string,
    code: string,
    detail: string,
    now: number,
    keepInputUntil?: number | null,
  ): JobRow | undefined;
  /** running → queued (graceful shutdown): the attempt is given back. */
  release(id: number, workerId: string): JobRow | undefined;
  /** queued|running → cancelled; the row as cancelled, or undefined if it had finished. */
  markCancelled(publicId: string, now: number): JobRow | undefined;
  /** Public ids of a user's queued jobs (user_id, or owner_key among `ownerKeys`), oldest first. */
  queuedOfUser(userId: number, ownerKeys: readonly string[]): string[];
  clearInputPath(id: number): void;
  /** A user's rows that are active or still name a file (deleting the account's files). */
  filesOfUser(userId: number, ownerKeys: readonly string[]): JobFiles[];
  /** Clears these rows' file paths; done ones become expired. */
  forgetFiles(ids: readonly number[], now: number): void;
  setBotMessage(publicId: string, chatId: string, messageId: number): void;
  /** Finished bot jobs whose result is owed: pending, or claimed by a dead node / past its lease; oldest first. */
  botDeliveriesDue(limit: number, lease: DeliveryLease): JobRow[];
  /** Claims a due bot delivery (→ claimed by `claim.by`, attempts + 1); true only for the one caller that won it. */
  claimBotDelivery(publicId: string, claim: DeliveryClaim): boolean;
  /** The job a Telegram update made (bot_update_key, unique), if any. */
  findByBotUpdateKey(key: string): JobRow | undefined;
  /** Ends `by`'s claim: sent, or after a failed send pending again / failed; the new state (undefined: not ours). */
  settleBotDelivery(publicId: string, by: string, outcome: DeliveryOutcome): DeliverySettled | undefined;
  /**
   * Album reports owed: pending (or claimed by a dead node / past its lease) whose tracks are all final
   * with their own results settled; oldest first.
   */
  albumReportsDue(limit: number, lease: DeliveryLease): AlbumReportRow[];
  /** Claims a due album report (→ claimed by `claim.by`, attempts + 1); true only for the one caller that won it. */
  claimAlbumReport(batchId: string, claim: DeliveryClaim): boolean;
  /** Ends `by`'s claim of an album report, as settleBotDelivery does a job's. */
  settleAlbumReport(batchId: string, by: string, outcome: DeliveryOutcome): DeliverySettled | undefined;
  /** Every job of `from` (its owner key or its user id) now belongs to `to`; how many rows moved. */
  reassignOwner(from: OwnerRef, to: OwnerRef): number;
  /** Running rows of dead/stale workers → queued, or failed `interrupted` after maxAttempts. One transaction. */
  requeueAbandoned(o: AbandonedOptions): { requeued: JobRow[]; failed: JobRow[] };
  /** done rows past expires_at → expired (result path cleared); returns the rows as they were. */
  expireDue(now: number): JobRow[];
  hasQueued(): boolean;
  /**
   * failed/cancelled rows finished since `since` (refund reconciliation: a charged job's tokens, and a free
   * tier's counted master, which costs 0 but is given back all the same).
   */
  unsuccessfulEndedSince(since: number): JobRow[];

  // --- reads for health, alerts, admin tools ---
  countByStatus(): JobCounts;
  countQueued(): number;
  activeLines(limit: number): AdminJobLine[];
  recentFailures(limit: number): FailureLine[];
  statsSince(since: number): JobWindowStats;
  /** Jobs that ended since `since`: finished (done/expired/failed) and failed. */
  outcomesSince(since: number): { finished: number; failed: number };
  listRecords(o: { status?: schema.JobStatus; limit: number }): JobRecord[];
  findRecord(publicId: string): JobRecord | undefined;
  countsOfUser(userId: number, ownerKey: string | null): UserJobCounts;
  /** A user's jobs (by user_id), newest first, `limit` of them older than `after` (history pages). */
  pageOfUser(userId: number, limit: number, after?: UserJobsCursor): JobRow[];

  // --- admin tools ---
  searchRecords(f: AdminJobFilter): JobRecord[];
  /** Clears and returns a failed/cancelled row's kept input path (a retry takes it once). */
  takeInput(id: number): string | undefined;
  giveInputBack(id: number, path: string): void;
  /** done → expired at once (an admin deleted the result); the row as it was. */
  expireResultNow(publicId: string, now: number): JobRow | undefined;

  // --- retention and daily stats ---
  daySummary(start: number, end: number): JobDaySummary;
  /** UTC dates (YYYY-MM-DD) with rows finished before `before` that retention may delete. */
  datesOfDeletable(before: number, now: number): string[];
  /**
   * Deletes up to `limit` such rows (and the album reports of batches left with no job); returns how many
   * jobs and the files they still pointed at.
   */
  deleteOld(before: number, now: number, limit: number): { deleted: number; paths: string[] };
  /** Upload and result paths any row still points at. */
  referencedPaths(): Set<string>;
  /** Public ids of queued and running jobs. */
  activePublicIds(): Set<string>;
}
