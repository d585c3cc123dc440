// The job system's public types: what callers submit, what they read back, and the events they hear.
// Shared by the HTTP routes, the Telegram bot, the CLI and the scheduler.

import type { Analysis, FormatId } from "../audio";
import type { schema } from "../db";
import type { FileStore } from "../files";
import type { Lang } from "../i18n";
import type { JobSettings } from "./engine";
import type { AlternateState } from "./results";
import type {
  DeliveryOutcome,
  DeliverySettled,
  JobCounts,
  JobStore,
  OwnerRef,
  UserJobsCursor,
} from "./store";

/** An album batch whose report a bot owes its chat (bot_album_reports). */
export type AlbumReportDue = { batchId: string; chatId: string };

export type JobStatus = schema.JobStatus;
export type JobKind = schema.JobKind;
export type JobSource = schema.JobSource;

/** The statuses a job never leaves (except done → expired, when its result is deleted). */
export const FINAL_STATUSES: readonly JobStatus[] = ["done", "failed", "cancelled", "expired"];

export const isFinal = (s: JobStatus): boolean => FINAL_STATUSES.includes(s);

/** A validated input already on disk under `layout.uploads`, ready to queue. */
export type SubmitRequest = {
  ownerKey: string;
  userId?: number | null;
  source: JobSource;
  kind: JobKind;
  inputPath: string;
  inputBytes: number;
  originalName: string;
  settings: JobSettings;
  /** A master's validated reference uploads (≤ 3): submit moves them beside the input (naming.ts). */
  referencePaths?: readonly string[];
  /** Higher runs first; equal priorities run oldest first. */
  priority?: number;
  batchId?: string;
  lang: Lang;
  botChatId?: string;
  botMessageId?: number;
  /** The Telegram update (and track) it came from, unique: a replayed update finds its job (byBotUpdate). */
  botUpdateKey?: string;
};

/** What every reader sees of a job. `id` is the short public id; internal ids and tokens never appear. */
export type JobView = {
  id: string;
  status: JobStatus;
  kind: JobKind;
  source: JobSource;
  /** 0..1 */
  progress: number;
  stage: string | null;
  /** 1-based place in the fair claim order while queued, else null. */
  position: number | null;
  original_name: string;
  result_name: string | null;
  result_bytes: number | null;
  settings: JobSettings;
  error: { code: string } | null;
  analysis_before: Analysis | null;
  analysis_after: Analysis | null;
  attempts: number;
  cost: number;
  audio_duration_s: number | null;
  realtime_factor: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  expires_at: number | null;
  owner_key: string;
  user_id: number | null;
  bot_chat_id: string | null;
  bot_message_id: number | null;
  lang: Lang;
  batch_id: string | null;
  priority: number;
};

/** `state` on every status change, `progress` while running (at most every ~0.5 s per job). */
/** The workers (node ids) alive in a cluster, and before when a row's last write makes it abandoned. */
export type LiveWorkers = { workers: readonly string[]; staleBefore: number };

/**
 * `remote`: announced by another node (LISTEN/NOTIFY); listeners that act once per event (admin alerts,
 * referral bonuses) leave those to the node where the change happened.
 */
export type JobEvent = { type: "state" | "progress"; job: JobView; remote?: boolean };

export type ResultFile = { path: string; name: string; bytes: number; mime: string };

/**
 * One page of a user's jobs, newest first, each with its access token (the owner's download links are
 * built from it without a lookup per row); `next` (null on the last page) continues after it.
 */
export type HistoryPage = { jobs: { view: JobView; token: string }[]; next: UserJobsCursor | null };

export type RecoveryCounts = { requeued: number; failed: number };

/** Read-only figures and lists for health, alerts, stats and admin tools (bot, CLI, HTTP). */
export type JobReports = Pick<
  JobStore,
  | "countQueued"
  | "activeLines"
  | "recentFailures"
  | "statsSince"
  | "outcomesSince"
  | "listRecords"
  | "findRecord"
  | "countsOfUser"
  | "daySummary"
  | "searchRecords"
>;

/** What the clean-up task needs: which finished rows may go, and the files and folders rows still own. */
export type JobRetention = Pick<
  JobStore,
  "datesOfDeletable" | "deleteOld" | "referencedPaths" | "activePublicIds"
>;

export interface JobService {
  /**
   * Queues a validated input: reserves its cost through billing, inserts the row at its fair place, logs
   * `job_queued`. Throws 429 `queue_limit_reached` (nothing written, nothing charged) when the owner already
   * has MM_MAX_QUEUED_PER_OWNER jobs waiting; the caller deletes the upload.
   */
  submit(req: SubmitRequest): JobView;
  /**
   * `submit` for a fresh upload (HTTP, bot): the input and its references go to the file store first (a
   * bucket: uploaded, the local copy dropped), so a worker on any node finds them. A refused submit
   * deletes them from the store; a store that cannot take them fails 503 storage_unavailable.
   */
  submitUpload(req: SubmitRequest): Promise<JobView>;
  /**
   * `submitUpload` for several uploads at once (a batch, an album, the bot's group of files): every file
   * goes to the store first, then all rows and their charges are written in ONE transaction, so the set is
   * queued whole or not at all, even if the process dies halfway. A refusal (queue room for the whole set,
   * billing, a failed insert) writes nothing, charges nothing and deletes the store's copies.
   */
  submitUploads(reqs: readonly SubmitRequest[]): Promise<JobView[]>;
  /** Where inputs and results live: the data folder or a bucket (downloads are served from it). */
  readonly files: FileStore;
  /**
   * Throws 429 `queue_limit_reached` unless `ownerKey` may queue `count` more jobs now: callers check before
   * accepting an upload or a batch, so a refused request is cut before its bytes are stored.
   */
  assertQueueRoom(ownerKey: string, count?: number): void;
  get(publicId: string): JobView | undefined;
  /** Checks the job's access token in constant time (false for unknown jobs). */
  checkToken(publicId: string, token: string): boolean;
  /** The secret that, with the public id, grants access to status and result (for links we hand out). */
  accessToken(publicId: string): string | undefined;
  listByOwner(ownerKey: string, limit: number): JobView[];
  listByBatch(batchId: string): JobView[];
  /** A user's jobs by user_id (never by what a client says), `limit` per page, older than `after`. */
  historyOf(userId: number, limit: number, after?: UserJobsCursor): HistoryPage;
  /** Queued → cancelled at once; running → ffmpeg killed, then cancelled. Throws job_not_found / job_already_finished. */
  cancel(publicId: string, actor: string): JobView;
  /**
   * Cancels every queued job of a user (a ban), each refunded once through billing like any cancel.
   * Returns the cancelled jobs; a job that finished meanwhile is skipped.
   */
  cancelQueuedOfUser(userId: number, ownerKeys: readonly string[], actor: string): JobView[];
  /**
   * Deletes every file of a user's jobs (an admin deleted the account): queued and running jobs are
   * cancelled (refunded once each, like any cancel), uploads and results removed, done rows expired.
   */
  purgeOfUser(userId: number, ownerKeys: readonly string[], actor: string): { jobs: number; files: number };
  /**
   * An admin's retry of a failed or cancelled job whose upload was kept (MM_FAILED_INPUT_KEEP_H): a new
   * job with the same input, settings and owner, charged through billing like a submission when `charge`
   * (its own ledger ref: the new id), free otherwise; past the owner's queue cap. Throws job_not_found,
   * job_not_retryable (409: not failed/cancelled) or job_input_gone (409).
   */
  retry(publicId: string, o: { charge: boolean; actor: string }): JobView;
  /** Deletes a done job's result file now (the row becomes expired). Throws job_not_found / job_no_result. */
  deleteResult(publicId: string, actor: string): { bytes: number };
  /** The downloadable result, or undefined when the job is not done or its result expired. */
  resultFile(publicId: string): ResultFile | undefined;
  /** A done master's plot data (waveform, loudness timeline, spectrum of input and result), if stored. */
  plotsOf(publicId: string): Promise<unknown>;
  /** A done master's listening copy of its input (the upload itself is gone), if stored. */
  beforeAudio(publicId: string): Promise<ResultFile | undefined>;
  /** The formats a done master can be had in and where each stands (throws job_not_ready). */
  alternates(
    publicId: string,
  ): Promise<{ source: FormatId; reencodable: boolean; formats: AlternateState[] }>;
  /** Starts an encode of another format of a done master (throws job_not_ready, format_source_lossy). */
  requestAlternate(publicId: string, format: FormatId): Promise<AlternateState>;
  /** The file of `format` once encoded (the delivered format: the result itself). */
  alternateFile(publicId: string, format: FormatId): Promise<ResultFile | undefined>;
  /** Resolves when no on-demand encode is running. */
  alternatesIdle(): Promise<void>;
  subscribe(publicId: string, fn: (e: JobEvent) => void): () => void;
  onEvent(fn: (e: JobEvent) => void): () => void;
  setBotMessage(publicId: string, chatId: string, messageId: number): void;
  /** Finished bot jobs whose result is still owed (pending, or claimed by a dead node), oldest first. */
  botDeliveriesDue(limit?: number): JobView[];
  /** Claims a due bot delivery for this node: true for the one caller that may send it now (cluster-wide). */
  claimBotDelivery(publicId: string): boolean;
  /** The job made from this Telegram update key (SubmitRequest.botUpdateKey), if one was. */
  byBotUpdate(key: string): JobView | undefined;
  /** After the send: sent (Telegram answered ok), or pending again / failed; undefined if the claim was lost. */
  settleBotDelivery(publicId: string, outcome: DeliveryOutcome): DeliverySettled | undefined;
  /** Album batches whose report is owed to their chat now (every track final, its result settled). */
  albumReportsDue(limit?: number): AlbumReportDue[];
  /** Claims a due album report for this node: true for the one caller that may send it now (cluster-wide). */
  claimAlbumReport(batchId: string): boolean;
  /** After the album report's send, as settleBotDelivery. */
  settleAlbumReport(batchId: string, outcome: DeliveryOutcome): DeliverySettled | undefined;
  /**
   * Moves every job of `from` to `to` (user id and owner key): a Telegram user linked to a web account
   * keeps one history. Logged; runs inside the caller's transaction when one is open.
   */
  reassignOwner(from: OwnerRef, to: OwnerRef): number;
  /**
   * At start-up: rows left running by a dead process are re-queued (or failed after 3 attempts).
   * `staleOnly` (Postgres: other nodes' workers are alive) takes only rows whose heartbeat is older than
   * MM_HEARTBEAT_STALE_S, never the blanket "every running row not mine". `live` (a cluster's node list)
   * takes only rows of workers that are no live node and whose last write is older than `live.staleBefore`.
   */
  recover(o?: { staleOnly?: boolean; live?: LiveWorkers }): RecoveryCounts;
  /** Cluster: running rows of dead nodes' workers back to the queue (once; the same rule as recover). */
  sweepDeadWorkers(live: LiveWorkers): RecoveryCounts;
  /**
   * Another node changed this job: re-read the row, feed this node's listeners (SSE, the bot), stop the
   * run here if the row is no longer ours (a cancel on the API node), and wake the pool for a queued one.
   */
  receiveRemote(publicId: string, type: "state" | "progress"): void;
  /** Running rows whose heartbeat is older than MM_HEARTBEAT_STALE_S are treated like a dead process's. */
  sweepStale(now?: number): RecoveryCounts;
  /** Deletes results past their TTL and marks the rows expired. */
  expireResults(now?: number): { expired: number; bytesFreed: number };
  /** Jobs per status, in one query (health, metrics, admin). */
  counts(): JobCounts;
  reports: JobReports;
  retention: JobRetention;
  /** Starts the worker pool (MM_WORKERS slots). */
  start(): void;
  /** Stops claiming, waits up to graceMs for running jobs, then aborts them back into the queue. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves once nothing is running in this process (tests, benchmarks). */
  idle(): Promise<void>;
}
