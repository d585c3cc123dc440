// The zod schemas of the mastering API: request parts (path, query, multipart fields) and the responses.
// Routes validate with them and /api/openapi.json is generated from them, so the two cannot drift.
import { z } from "zod";
import { MasterSettingsSchema } from "../../audio";
import { JOB_KINDS, JOB_SOURCES, JOB_STATUSES } from "../../jobs";

export const JobIdParam = z.object({
  id: z.string().min(1).max(128).describe("Public job id (e.g. K7M2QX), or the handle ID.TOKEN"),
});

export const TokenQuery = z.object({
  token: z.string().min(16).max(128).optional().describe("The job's access token (from the 202 response)"),
});

export const ChainQuery = z.object({ style: z.string().max(40).optional() });

/** Multipart text fields of the upload endpoints. `settings`/`config` is JSON; the rest are the original's names. */
export const MasterFormFields = z.object({
  settings: z.string().optional().describe("JSON object with any of the mastering settings"),
  config: z.string().optional().describe("Alias of settings (the original's chain config)"),
  style: z.string().optional(),
  preset: z.string().optional(),
  target_lufs: z.string().optional().describe("alias: target"),
  ceiling_dbtp: z.string().optional().describe("alias: ceiling"),
  format: z.string().optional().describe("alias: out_format (wav → wav24, flac → flac24)"),
  bitrate: z.string().optional(),
  sample_rate: z.string().optional(),
  modules: z.string().optional().describe("JSON object of module overrides"),
  priority: z.string().optional(),
});

export const JobViewSchema = z.object({
  id: z.string(),
  status: z.enum(JOB_STATUSES),
  kind: z.enum(JOB_KINDS),
  source: z.enum(JOB_SOURCES),
  progress: z.number().min(0).max(1),
  stage: z.string().nullable(),
  position: z.number().int().nullable(),
  original_name: z.string(),
  result_name: z.string().nullable(),
  result_bytes: z.number().nullable(),
  settings: MasterSettingsSchema,
  error: z.object({ code: z.string(), message: z.string().optional() }).nullable(),
  analysis_before: z.unknown(),
  analysis_after: z.unknown(),
  created_at: z.number(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
  expires_at: z.number().nullable(),
  batch_id: z.string().nullable(),
});

export const SubmittedSchema = z.object({
  job_id: z.string(),
  status: z.enum(JOB_STATUSES),
  position: z.number().int().nullable().describe("1-based place in the fair claim order while queued"),
  version: z.literal("v2"),
  token: z.string(),
  handle: z.string().describe("ID.TOKEN: works in place of the id on every job URL"),
  status_url: z.string(),
  events_url: z.string(),
  result_url: z.string(),
  cancel_url: z.string(),
});

export const BatchSchema = z.object({
  version: z.literal("v2"),
  batch: z.literal(true),
  batch_id: z.string(),
  jobs: z.array(SubmittedSchema.extend({ filename: z.string() })),
});

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
