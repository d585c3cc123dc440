// Public answers about jobs, built field by field from their schemas (schemas.ts): the internal JobView
// carries the owner's IP, user id, bot message ids and more, and none of that may reach a client.
import type { Context } from "hono";
import type { z } from "zod";
import { type Analysis, MasterSettingsSchema, PRESETS, resolveSettings } from "../../audio";
import { errorMessage, t } from "../../i18n";
import { isFinal, type JobService, type JobView } from "../../jobs";
import { langOf } from "../errors";
import { project } from "../project";
import {
  AnalysisSchema,
  type AnalyzedSchema,
  type JobSchema,
  type LegacyStatusSchema,
  type SubmittedSchema,
} from "./schemas";

export type PublicJob = z.infer<typeof JobSchema>;

// Stored analyses are JSON written from src/audio's Analysis (typed once the job store types them).
const analysisOf = (a: unknown): Analysis | null => (a ? project(AnalysisSchema, a as Analysis) : null);

/** The job as every client sees it, its error translated for the caller. */
export function publicJob(c: Context, job: JobView): PublicJob {
  return {
    id: job.id,
    status: job.status,
    kind: job.kind,
    source: job.source,
    progress: job.progress,
    stage: job.stage,
    position: job.position,
    attempts: job.attempts,
    original_name: job.original_name,
    result_name: job.result_name,
    result_bytes: job.result_bytes,
    settings: project(MasterSettingsSchema, job.settings as z.output<typeof MasterSettingsSchema>),
    error: job.error ? { code: job.error.code, message: errorMessage(langOf(c), job.error.code) } : null,
    analysis_before: analysisOf(job.analysis_before),
    analysis_after: analysisOf(job.analysis_after),
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    expires_at: job.expires_at,
    batch_id: job.batch_id,
  };
}

/** Target, style and format as mastering resolves them (the settings were validated when queued). */
export function resolvedTarget(job: JobView): {
  target: number | null;
  style: string | null;
  format: string | null;
} {
  try {
    const r = resolveSettings(job.settings);
    return { target: r.target_lufs, style: r.style.id, format: r.format.id };
  } catch {
    return { target: null, style: null, format: null };
  }
}

/** The original's status shape (running|done|error, 0–100), plus our view under `job`. */
export function legacyStatus(c: Context, job: JobView): z.infer<typeof LegacyStatusSchema> {
  const lang = langOf(c);
  const status = job.status === "done" ? "done" : isFinal(job.status) ? "error" : "running";
  const view = publicJob(c, job);
  const { target, style } = resolvedTarget(job);
  return {
    status,
    progress: job.status === "done" ? 100 : Math.round(job.progress * 100),
    message: job.stage ?? t(lang, `job_state_${job.status}`),
    error: view.error?.message ?? null,
    before_lufs: view.analysis_before?.integrated_lufs ?? null,
    after_lufs: view.analysis_after?.integrated_lufs ?? null,
    target_lufs: target,
    style,
    job: view,
  };
}

/** The 202 body: `job_id` is the handle (ID.TOKEN) so the original's client can use it as-is. */
export function submittedBody(
  d: { jobs: JobService; publicUrl: string },
  job: JobView,
): z.infer<typeof SubmittedSchema> {
  const token = d.jobs.accessToken(job.id) ?? "";
  const handle = `${job.id}.${token}`;
  const base = `${d.publicUrl.replace(/\/+$/, "")}/api/jobs/${job.id}`;
  const q = `?token=${encodeURIComponent(token)}`;
  return {
    job_id: handle,
    id: job.id,
    task_id: job.id,
    status: job.status,
    position: job.position,
    version: "v2",
    token,
    handle,
    status_url: `${base}${q}`,
    events_url: `${base}/events${q}`,
    result_url: `${base}/result${q}`,
    cancel_url: `${base}/cancel${q}`,
  };
}

/** The original's streaming preview: the platforms it listed, by its display names. */
const PREVIEW_PLATFORMS: [string, string][] = [
  ["Spotify", "spotify"],
  ["YouTube", "youtube"],
  ["Apple Music", "apple"],
  ["Tidal", "tidal"],
  ["Amazon Music", "amazon"],
  ["Broadcast (EBU R128)", "ebu-r128"],
];
const r2 = (x: number) => Math.round(x * 100) / 100;

function streamingPreview(lufs: number | null): z.infer<typeof AnalyzedSchema>["streaming_preview"] {
  if (lufs === null) return {};
  const out: z.infer<typeof AnalyzedSchema>["streaming_preview"] = {};
  for (const [name, id] of PREVIEW_PLATFORMS) {
    const target = PRESETS.find((p) => p.id === id)?.target_lufs;
    if (target === undefined) continue;
    const penalty = Math.max(0, lufs - target);
    out[name] = {
      target_lufs: target,
      penalty_db: r2(penalty),
      gain_applied_db: r2(Math.min(0, target - lufs)),
      status: penalty > 6 ? "loud" : penalty > 1 ? "ok" : "optimal",
    };
  }
  return out;
}

/** POST /api/v2/analyze's answer (the original's shape) from our analysis. */
export function analyzedBody(a: Analysis, extended: boolean): z.infer<typeof AnalyzedSchema> {
  return {
    version: "v2",
    lufs: a.integrated_lufs,
    peak_dbfs: a.sample_peak_dbfs,
    true_peak_dbtp: a.true_peak_dbtp,
    duration_sec: a.duration_s,
    sample_rate: a.sample_rate,
    channels: a.channels,
    stereo_correlation: a.stereo_correlation,
    streaming_preview: streamingPreview(a.integrated_lufs),
    ...(extended
      ? {
          spectrum_bars: a.spectrum.db.map((v) => v ?? -80),
          lufs_timeline: a.timeline.momentary_lufs,
          timeline_step_sec: a.timeline.step_s,
        }
      : {}),
  };
}
