// Computes the service's health: database, disk, ffmpeg, bot and job counts. Used by /api/health,
// /status, /metrics, smoke-check and alerts. Effects are injected, so this file stays testable.

import { statfsSync } from "node:fs";
import type { Config } from "../config";
import { recentStorageFault } from "../db";
import type { JobCounts, JobStatus } from "../jobs";
import { ROLES, type Role } from "./roles";

/** The bot's state as bot/ reports it (its BotStatus), spelled here because ops sits below bot. */
export type BotState = "running" | "disabled" | "error";

export type FfmpegStatus = { status: "ok" | "missing"; version: string | null };

export type Health = {
  status: "ok" | "degraded";
  version: string;
  uptime_since: string;
  uptime_s: number;
  database: "ok" | "error";
  /** Why the database is "error": unreadable, or writes failing because it is locked or the disk is full. */
  database_error: "unreadable" | "busy" | "full" | null;
  /** "full": a write failed for lack of space within the last minute, or nothing is left. */
  disk: { free_mb: number; status: "ok" | "low" | "full" };
  ffmpeg: FfmpegStatus;
  bot: BotState;
  maintenance: boolean;
  /** The operator's message while maintenance is on (null otherwise). */
  maintenance_message: string | null;
  jobs: { running: number; queued: number; total_cached: number };
  /** Every status's count (empty when the database is unusable); metrics reuse it. */
  jobs_by_status: Partial<Record<JobStatus, number>>;
  /** What this node runs (`serve --role`). */
  roles: Role[];
  /** Where uploads and results live: the data folder or an S3-compatible bucket. */
  storage: "local" | "s3";
  /** In a cluster (Postgres): this node's id and the leader roles it holds now; null on SQLite. */
  node: { id: string; leads: ("bot" | "scheduler")[] } | null;
  /** On an API node of a cluster: the live nodes that run workers; null elsewhere. */
  worker_nodes: WorkerNode[] | null;
  /** Why the status is degraded (empty when ok). */
  problems: string[];
};

/** A live worker node as health lists it. */
export type WorkerNode = { id: string; roles: Role[]; host: string; version: string; heartbeat_at: number };

/** What a cluster node tells health (src/ops/cluster); absent on SQLite. */
export type ClusterHealth = {
  id: string;
  leads: () => ("bot" | "scheduler")[];
  /** Live nodes running the worker role (read only on an API node). */
  workerNodes: () => WorkerNode[];
};

export type HealthDeps = {
  config: Config;
  /** The job service's counts (one query); a throw means the database is unusable. */
  jobCounts: () => JobCounts;
  dataDir: string;
  version: string;
  startedAt: Date;
  ffmpeg: () => Promise<FfmpegStatus>;
  botStatus: () => BotState;
  maintenance?: () => boolean;
  maintenanceMessage?: () => string | null;
  /** Default: every role. */
  roles?: readonly Role[];
  storage?: "local" | "s3";
  cluster?: ClusterHealth;
};

/** Free space of the filesystem holding `dir`, in MiB (0 if it cannot be read). */
export function freeDiskMb(dir: string): number {
  try {
    const s = statfsSync(dir);
    return Math.floor((Number(s.bavail) * Number(s.bsize)) / 1048576);
  } catch {
    return 0;
  }
}

function checkDb(jobCounts: () => JobCounts): { ok: boolean; counts: JobCounts | null } {
  try {
    return { ok: true, counts: jobCounts() };
  } catch {
    return { ok: false, counts: null };
  }
}

function byStatus(c: JobCounts | null): Partial<Record<JobStatus, number>> {
  if (!c) return {};
  const { total: _total, ...counts } = c;
  return counts;
}

/** An unreadable nodes table shows as no workers (the database problem is reported by its own check). */
function workerNodesOf(c: ClusterHealth): WorkerNode[] {
  try {
    return c.workerNodes();
  } catch {
    return [];
  }
}

/** Measures everything once. ffmpeg's answer is cached by the caller (it costs a spawn). */
export async function checkHealth(d: HealthDeps): Promise<Health> {
  const db = checkDb(d.jobCounts);
  const free = freeDiskMb(d.dataDir);
  const ffmpeg = await d.ffmpeg();
  const bot = d.botStatus();
  // Reads work in WAL while writes fail (lock held elsewhere, disk full): the last failed write says so.
  const fault = recentStorageFault(d.dataDir);
  const dbError = !db.ok ? "unreadable" : (fault?.kind ?? null);
  const disk = fault?.kind === "full" || free === 0 ? "full" : free < d.config.MM_DISK_LOW_MB ? "low" : "ok";
  const problems: string[] = [];
  if (dbError === "unreadable") problems.push("database");
  else if (dbError === "busy") problems.push("database_busy");
  if (disk === "full") problems.push("disk_full");
  else if (disk === "low") problems.push("disk_low");
  if (ffmpeg.status !== "ok") problems.push("ffmpeg_missing");
  // A broken bot is reported (bot: "error") but does not fail health: HTTP still serves users.
  const c = db.counts;
  const roles = [...(d.roles ?? ROLES)];
  return {
    status: problems.length ? "degraded" : "ok",
    version: d.version,
    uptime_since: d.startedAt.toISOString(),
    uptime_s: Math.round((Date.now() - d.startedAt.getTime()) / 1000),
    database: dbError ? "error" : "ok",
    database_error: dbError,
    disk: { free_mb: free, status: disk },
    ffmpeg,
    bot,
    maintenance: d.maintenance?.() ?? false,
    maintenance_message: d.maintenance?.() ? d.maintenanceMessage?.() || null : null,
    jobs: { running: c?.running ?? 0, queued: c?.queued ?? 0, total_cached: c?.total ?? 0 },
    jobs_by_status: byStatus(c),
    roles,
    storage: d.storage ?? "local",
    node: d.cluster ? { id: d.cluster.id, leads: d.cluster.leads() } : null,
    worker_nodes: d.cluster && roles.includes("api") ? workerNodesOf(d.cluster) : null,
    problems,
  };
}

/**
 * ffmpeg's status for health, cheap enough to poll: the version comes from a real run (`probe`, cached for
 * `ttlMs`); until the first run has answered, an executable found on PATH (`locate`) counts as ok, so
 * the first health answer after start-up does not wait ~100 ms for ffmpeg to load its libraries.
 */
export function cachedFfmpeg(
  probe: () => Promise<string | null>,
  locate: () => string | null,
  ttlMs = 30_000,
): () => Promise<FfmpegStatus> {
  let last: { at: number; value: FfmpegStatus | null } | null = null;
  const refresh = () => {
    const entry: { at: number; value: FfmpegStatus | null } = { at: Date.now(), value: null };
    last = entry;
    void probe()
      .catch(() => null)
      .then((version) => {
        entry.value = { status: version ? "ok" : "missing", version };
      });
  };
  return async () => {
    if (!last || Date.now() - last.at >= ttlMs) refresh();
    if (last?.value) return last.value;
    return locate() ? { status: "ok", version: null } : { status: "missing", version: null };
  };
}

/**
 * Shares one health measurement between callers for `ttlMs`: monitors, the status page and metrics
 * poll often, and each measurement costs a DB query and a statfs call.
 */
export function sharedHealth(measure: () => Promise<Health>, ttlMs = 1000): () => Promise<Health> {
  let last: { at: number; value: Promise<Health> } | null = null;
  return () => {
    const now = performance.now();
    if (last && now - last.at < ttlMs) return last.value;
    const value = measure();
    last = { at: now, value };
    value.catch(() => {
      last = null;
    });
    return value;
  };
}
