// The zod schemas of the mastering API: request parts (path, query, multipart fields) and every job answer.
// Routes validate with them, answers are built from them (../project.ts), and /api/openapi.json is
// generated from them, so the three cannot drift. Answer objects are strict: a field not listed here is
// not part of the API (the route tests parse every answer with these schemas).
import { z } from "zod";
import { type Analysis, MATCH_ASPECTS, MasterSettingsSchema, PLATFORM_VERDICTS } from "../../audio";
import { JOB_KINDS, JOB_SOURCES, JOB_STATUSES } from "../../jobs";
import type { SameKeys } from "../project";

export { ErrorSchema } from "../errors";

export const JobIdParam = z.object({
  id: z.string().min(1).max(128).describe("Public job id (e.g. K7M2QX), or the handle ID.TOKEN"),
});

export const TokenQuery = z.object({
  token: z.string().min(16).max(128).optional().describe("The job's access token (from the 202 response)"),
});

export const ChainQuery = z.object({
  style: z.string().max(40).optional(),
  target_lufs: z.string().max(20).optional().describe("The original's parameter; ignored"),
});

const original = (what: string) => z.string().optional().describe(`The original's field: ${what}`);

/** Multipart text fields of the upload endpoints. `settings`/`config` is JSON; the rest are single values. */
export const MasterFormFields = z.object({
  settings: z.string().optional().describe("JSON object with any of the mastering settings"),
  config: z
    .string()
    .optional()
    .describe("Alias of settings; the original's chain JSON ({modules:[{id, enabled, …}], …}) is translated"),
  style: z.string().optional().describe("A style id, or the original's name (e.g. house_basic)"),
  preset: z.string().optional(),
  target_lufs: z.string().optional().describe("alias: target"),
  ceiling_dbtp: z.string().optional().describe("alias: ceiling"),
  format: z.string().optional().describe("alias: out_format (wav → wav24, flac → flac24)"),
  bitrate: z
    .string()
    .optional()
    .describe("kbps for mp3/aac/opus; with out_format, ignored for lossless (as the original)"),
  sample_rate: z.string().optional(),
  modules: z.string().optional().describe("JSON object of module overrides"),
  priority: z.string().optional(),
  album: z
    .string()
    .optional()
    .describe(
      "POST /api/v2/batch: true → master the files as one album (shared chain, relative loudness kept)",
    ),
  match: z
    .string()
    .optional()
    .describe(
      "With `reference` files: aspects to match, comma-separated (tone,loudness,width,dynamics; default all)",
    ),
  reference_weights: z
    .string()
    .optional()
    .describe("With `reference` files: their weights in upload order, comma-separated (default equal)"),
  intensity: z.string().optional().describe("low | medium | high (default medium)"),
  mix: z
    .string()
    .optional()
    .describe("Dry/wet of the processing before the final gain, percent 0–100 (default 100)"),
  out_format: original("wav | flac | mp3 | opus | aac"),
  dither_type: original("tpdf | ns_e | ns_itu; dither is TPDF (noise shaping is not available)"),
  auto_blank_sec: original("trailing-silence trim; accepted and ignored"),
  denoise_preset: original("vocal | light | medium | aggressive | tape_hiss | room_tone → denoise"),
  denoise_strength: original("0–1 → denoise"),
  rumble_enabled: original("true/1/yes → high-pass"),
  rumble_cutoff: original("Hz (20–200) of the high-pass"),
  deesser_enabled: original("true/1/yes → de-esser"),
  parallel_mix: original("0–1 → parallel compression"),
  extended: original("/api/v2/analyze: also return spectrum and loudness timeline"),
});

const Message = z.strictObject({
  key: z.string().describe("i18n key"),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

/** Reference matching in the "what changed" report (src/audio/changes-match.ts). */
const ReferenceChangeSchema = z.strictObject({
  aspects: z.array(z.enum(MATCH_ASPECTS)),
  weights: z.array(z.number()).describe("Normalised weight of each reference, in upload order"),
  eq: z
    .array(z.strictObject({ hz: z.number(), gain_db: z.number() }))
    .nullable()
    .describe("Corrective EQ per 1/3-octave band"),
  width: z.number().nullable().describe("M/S side factor applied"),
  loudness: z
    .strictObject({ reference_lufs: z.number(), target_lufs: z.number(), output_lufs: z.number().nullable() })
    .nullable(),
  dynamics: z
    .strictObject({
      input_spread_lu: z.number().nullable(),
      reference_spread_lu: z.number().nullable(),
      input_crest_db: z.number().nullable(),
      reference_crest_db: z.number().nullable(),
      compression_scale: z.number(),
    })
    .nullable(),
  residual: z
    .strictObject({
      tone_db_rms: z.number().nullable(),
      width_db: z.number().nullable(),
      loudness_lu: z.number().nullable(),
    })
    .describe("Measured on the delivered file against the (averaged) reference"),
  chain_passes: z.number(),
});

/** What a master changed (src/audio/changes.ts), on the analysis of its written file. */
const ChangesSchema = z.strictObject({
  intensity: z.enum(["low", "medium", "high"]),
  mix_pct: z.number(),
  eq: z.array(
    z.strictObject({ band: z.string(), from_hz: z.number(), to_hz: z.number(), gain_db: z.number() }),
  ),
  compression: z.array(
    z.strictObject({
      from_hz: z.number(),
      to_hz: z.number().nullable(),
      ratio: z.number(),
      threshold_db: z.number(),
      gain_reduction_db: z.number().nullable(),
    }),
  ),
  transient: z.strictObject({ attack_db: z.number(), sustain_db: z.number() }).nullable(),
  parallel_mix: z.number().nullable(),
  saturation_db: z.number().nullable(),
  width: z.strictObject({
    factor: z.number(),
    correlation_before: z.number().nullable(),
    correlation_after: z.number().nullable(),
  }),
  limiter: z.strictObject({
    ceiling_dbtp: z.number(),
    max_gain_reduction_db: z.number(),
    mean_gain_reduction_db: z.number(),
  }),
  gain: z.strictObject({ staging_db: z.number(), final_db: z.number() }),
  auto_style: z
    .strictObject({
      style: z.string().describe("The style style=auto chose"),
      reason: z.enum(["speech", "dynamic", "bass_dense", "bass", "bright", "balanced"]),
      features: z.strictObject({
        voice_share: z.number(),
        low_end_db: z.number(),
        tilt_db_per_oct: z.number(),
        crest_db: z.number().nullable(),
        lra_lu: z.number().nullable(),
        pause_ratio: z.number(),
      }),
    })
    .nullable()
    .optional()
    .describe("style=auto: the style chosen, why, and the numbers the rule looked at"),
  reference: ReferenceChangeSchema.nullable()
    .optional()
    .describe("Reference matching: what was matched and by how much (absent on masters made before it)"),
  album: z
    .strictObject({
      offset_lu: z.number().describe("LU below the album's loudest track (kept on the output)"),
      target_lufs: z.number().describe("This track's target: the album target + offset"),
      pre_gain_db: z.number().describe("Input gain staging shared by every track of the album"),
      album_target_lufs: z.number(),
      ceiling_dbtp: z.number(),
      style: z.string().describe("The album's one style (style=auto decided once, on the loudest track)"),
    })
    .nullable()
    .optional()
    .describe("Album mode: the track's place in the album (POST /api/v2/batch with album=true)"),
  messages: z.array(Message),
});

/** What the analysis of a file reports (src/audio Analysis). */
export const AnalysisSchema = z.strictObject({
  duration_s: z.number(),
  sample_rate: z.number(),
  channels: z.number(),
  codec: z.string(),
  bit_depth: z.number().nullable(),
  format_name: z.string(),
  integrated_lufs: z.number().nullable(),
  lra_lu: z.number().nullable(),
  true_peak_dbtp: z.number().nullable(),
  sample_peak_dbfs: z.number().nullable(),
  rms_dbfs: z.number().nullable(),
  crest_db: z.number().nullable(),
  dc_offset: z.number().nullable(),
  clipped_samples: z.number(),
  stereo_correlation: z.number().nullable(),
  timeline: z.strictObject({
    step_s: z.number(),
    short_term_lufs: z.array(z.number().nullable()),
    momentary_lufs: z.array(z.number().nullable()),
  }),
  spectrum: z.strictObject({ hz: z.array(z.number()), db: z.array(z.number().nullable()) }),
  platforms: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["streaming", "broadcast"]),
      target_lufs: z.number().nullable().describe("null: the service does not normalise"),
      gain_db: z.number().describe("dB the player applies (negative = turned down)"),
      plays_at_lufs: z.number(),
      true_peak_after_dbtp: z.number(),
      verdict: z.enum(PLATFORM_VERDICTS),
      message: Message,
    }),
  ),
  changes: ChangesSchema.optional().describe("Only on a master's written file: what the master changed"),
});
// A field added to Analysis must be documented here (or deliberately left out) before it compiles.
const _analysisKeys: SameKeys<Analysis, z.infer<typeof AnalysisSchema>> = true;

export const JobSchema = z.strictObject({
  id: z.string().describe("Short public id, for display (K7M2QX)"),
  status: z.enum(JOB_STATUSES),
  kind: z.enum(JOB_KINDS),
  source: z.enum(JOB_SOURCES),
  progress: z.number().min(0).max(1),
  stage: z.string().nullable(),
  position: z.number().int().nullable().describe("1-based place in the queue while queued"),
  attempts: z.number().int().describe("Times a worker started it (restarts re-queue; at most 3)"),
  original_name: z.string(),
  result_name: z.string().nullable(),
  result_bytes: z.number().nullable(),
  settings: MasterSettingsSchema,
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  analysis_before: AnalysisSchema.nullable(),
  analysis_after: AnalysisSchema.nullable(),
  created_at: z.number(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
  expires_at: z.number().nullable(),
  batch_id: z.string().nullable(),
});

export const SubmittedSchema = z.strictObject({
  job_id: z.string().describe("The handle ID.TOKEN: use it as-is as the id on every job URL"),
  id: z.string().describe("Short public id, for display"),
  task_id: z.string().describe("Same as id (the name the bot and logs use)"),
  status: z.enum(JOB_STATUSES),
  position: z.number().int().nullable().describe("1-based place in the fair claim order while queued"),
  version: z.literal("v2"),
  token: z.string(),
  handle: z.string().describe("Same as job_id"),
  status_url: z.string(),
  events_url: z.string(),
  result_url: z.string(),
  cancel_url: z.string(),
});

export const BatchSchema = z.strictObject({
  version: z.literal("v2"),
  batch: z.literal(true),
  batch_id: z.string(),
  album: z.boolean().describe("album=true: the files are mastered as one album"),
  album_url: z.string().nullable().describe("The album report (album batches), with the batch token"),
  zip_url: z.string().describe("Every finished result as one ZIP (+ album.json for an album)"),
  jobs: z.array(SubmittedSchema.extend({ filename: z.string() })),
});

/** The original's status shape, plus our job view under `job`. */
export const LegacyStatusSchema = z.strictObject({
  status: z.enum(["running", "done", "error"]).describe("queued and running are both running"),
  progress: z.number().int().min(0).max(100),
  message: z.string(),
  error: z.string().nullable(),
  before_lufs: z.number().nullable(),
  after_lufs: z.number().nullable(),
  target_lufs: z.number().nullable(),
  style: z.string().nullable(),
  job: JobSchema,
});

/** SSE `/api/jobs/:id/events`: `event: state|progress`, `data:` a Job. `/api/master/progress/:id`: `data:` a LegacyStatus. */
export const JobEventSchema = JobSchema;

export const MeasuredSchema = z.strictObject({
  job_id: z.string().describe("The handle ID.TOKEN"),
  id: z.string(),
  analysis: AnalysisSchema.nullable(),
});
export const PendingSchema = SubmittedSchema.extend({ pending: z.literal(true) });

const PreviewEntry = z.strictObject({
  target_lufs: z.number(),
  penalty_db: z.number().describe("max(0, lufs − target)"),
  gain_applied_db: z.number().describe("min(0, target − lufs)"),
  status: z.enum(["loud", "ok", "optimal"]).describe("loud: penalty > 6 dB, ok: > 1 dB"),
});

/** The original's POST /api/v2/analyze answer. */
export const AnalyzedSchema = z.strictObject({
  version: z.literal("v2"),
  lufs: z.number().nullable(),
  peak_dbfs: z.number().nullable(),
  true_peak_dbtp: z.number().nullable(),
  duration_sec: z.number(),
  sample_rate: z.number(),
  channels: z.number(),
  stereo_correlation: z.number().nullable(),
  streaming_preview: z.record(z.string(), PreviewEntry),
  spectrum_bars: z.array(z.number()).optional().describe("extended: 64 bands 20 Hz–20 kHz, dB"),
  lufs_timeline: z.array(z.number().nullable()).optional().describe("extended: momentary loudness per step"),
  timeline_step_sec: z.number().optional(),
});

void _analysisKeys;
