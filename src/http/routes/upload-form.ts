// Turns a multipart upload request into validated inputs: files streamed to disk and checked (magic bytes +
// ffprobe), settings parsed from the form with the audio engine's zod schema. Any failure deletes every file
// the request wrote, then throws.
import type { Context } from "hono";
import { MasterSettingsSchema } from "../../audio";
import type { Config } from "../../config";
import { AppError, toAppError } from "../../errors";
import {
  type AdmissionKind,
  admissionFor,
  checkDiskBeforeUpload,
  discardFiles,
  type OwnerLimit,
  type ReceivedFile,
  receiveMultipart,
  type UploadTracker,
  uploadLimitBytes,
  validateAudio,
} from "../../files";
import type { JobSettings } from "../../jobs";
import { fromSettingsJson, modulesFromOriginalFields, styleName } from "./original-form";
import { MasterFormFields } from "./schemas";
import { describeIssues } from "./validate";

export type UploadDeps = {
  config: Config;
  uploadsDir: string;
  ownerLimit?: OwnerLimit;
  /** Uploads in progress, so a shutdown can cut them and remove their partial files. */
  uploads?: UploadTracker;
};
export type AudioForm = {
  files: ReceivedFile[];
  /** Files sent as `reference` (reference matching), validated like the main file. */
  references: ReceivedFile[];
  settings: JobSettings;
  fields: Record<string, string>;
};

const MAIN_FIELDS = ["file", "files", "files[]"];
const REFERENCE_FIELDS = ["reference", "reference[]"];

const FORMAT_ALIASES: Record<string, string> = { wav: "wav24", flac: "flac24", m4a: "aac" };

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_settings_json", 400);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new AppError("invalid_settings_json", 400);
  return value as Record<string, unknown>;
}

const numberOr = (s: string | undefined): string | number | undefined =>
  s === undefined || s.trim() === "" ? undefined : /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s;

const LOSSLESS = new Set(["wav16", "wav24", "wav32f", "flac16", "flac24"]);

/**
 * Builds the settings object from form fields (JSON `settings`/`config` first, single fields override).
 * The original's field names keep the original's meaning (original-form.ts): `bitrate` beside `out_format`
 * is ignored for a lossless format, as there, while our `format` + `bitrate` mismatch stays a 400.
 */
export function settingsFromFields(raw: Record<string, string>): JobSettings {
  const form = MasterFormFields.parse(raw);
  const json = form.settings ?? form.config;
  const out: Record<string, unknown> = json ? fromSettingsJson(parseJsonObject(json)) : {};
  const fmt = form.format ?? form.out_format;
  const format = fmt === undefined ? undefined : (FORMAT_ALIASES[fmt] ?? fmt);
  const originalBitrate = form.format === undefined && form.out_format !== undefined;
  const single: Record<string, unknown> = {
    style: styleName(form.style),
    preset: form.preset,
    target_lufs: numberOr(form.target_lufs ?? raw.target),
    ceiling_dbtp: numberOr(form.ceiling_dbtp ?? raw.ceiling),
    format,
    bitrate: originalBitrate && LOSSLESS.has(format ?? "") ? undefined : numberOr(form.bitrate),
    sample_rate: numberOr(form.sample_rate),
    intensity: form.intensity,
    mix: numberOr(form.mix),
  };
  for (const [k, v] of Object.entries(single)) if (v !== undefined && v !== "") out[k] = v;
  const reference = {
    ...(out.reference as Record<string, unknown> | undefined),
    ...(form.match ? { match: form.match.split(",").map((x) => x.trim()) } : {}),
    ...(form.reference_weights ? { weights: form.reference_weights.split(",").map((x) => numberOr(x)) } : {}),
  };
  if (Object.keys(reference).length > 0) out.reference = reference;
  const modules = {
    ...(out.modules as Record<string, unknown> | undefined),
    ...modulesFromOriginalFields(form),
    ...(form.modules ? parseJsonObject(form.modules) : {}),
  };
  if (Object.keys(modules).length > 0) out.modules = modules;
  const r = MasterSettingsSchema.safeParse(out);
  if (!r.success) throw new AppError("invalid_settings", 400, { details: describeIssues(r.error.issues) });
  return out as JobSettings;
}

/** A tier's upload cap (MM_BILLING=on): crossing it is upload_too_large_for_tier, not file_too_large. */
export type TierCap = { tier: string; bytes: number };

const MB = 1024 * 1024;

/**
 * Receives 1..maxFiles audio files under `file` (or `files`/`files[]`) plus settings, and with `references`
 * up to that many more under `reference` (same limits and validation).
 */
export async function receiveAudioForm(
  c: Context,
  d: UploadDeps,
  o: { maxFiles: number; ownerKey: string; kind: AdmissionKind; references?: number; tierCap?: TierCap },
): Promise<AudioForm> {
  const refs = o.references ?? 0;
  // Before a byte is written: the whole body (Content-Length, else the largest file limit) must fit.
  const declared = Number(c.req.header("content-length"));
  const most =
    Number.isFinite(declared) && declared > 0 ? declared : o.maxFiles * uploadLimitBytes("", d.config);
  checkDiskBeforeUpload(admissionFor(d.config, { kind: o.kind, settings: {}, dir: d.uploadsDir }), most);
  // Which limit the file being streamed meets: the tier's, when it is below the format's.
  let tierBound = false;
  const limitFor = (container: string) => {
    const byFormat = uploadLimitBytes(container, d.config, d.ownerLimit, o.ownerKey);
    tierBound = o.tierCap !== undefined && o.tierCap.bytes < byFormat;
    return tierBound && o.tierCap ? o.tierCap.bytes : byFormat;
  };
  const form = await receiveMultipart(c.req.raw, {
    dir: d.uploadsDir,
    // One over the sum, so a surplus reference is refused by name (too_many_references) below.
    maxFiles: o.maxFiles + refs + (refs > 0 ? 1 : 0),
    fileFields: refs > 0 ? [...MAIN_FIELDS, ...REFERENCE_FIELDS] : MAIN_FIELDS,
    limitFor: (_name, container) => limitFor(container),
    minRate: { kbps: d.config.MM_UPLOAD_MIN_KBPS, windowS: d.config.MM_UPLOAD_RATE_WINDOW_S },
    tracker: d.uploads,
  }).catch((err: unknown) => {
    const e = toAppError(err);
    if (e.code === "file_too_large" && tierBound && o.tierCap)
      throw new AppError("upload_too_large_for_tier", 413, {
        tier: o.tierCap.tier,
        limit_mb: Math.round(o.tierCap.bytes / MB),
      });
    throw err;
  });
  try {
    const main = form.files.filter((f) => MAIN_FIELDS.includes(f.field));
    const references = form.files.filter((f) => REFERENCE_FIELDS.includes(f.field));
    if (main.length === 0) throw new AppError("no_file", 400);
    if (main.length > o.maxFiles) throw new AppError("too_many_files", 400, { max: o.maxFiles });
    if (references.length > refs) throw new AppError("too_many_references", 400, { max: refs });
    const settings = settingsFromFields(form.fields);
    if (settings.reference && references.length === 0)
      throw new AppError("invalid_settings", 400, {
        details: "match/reference_weights need a reference file",
      });
    const weights = settings.reference?.weights;
    if (weights && weights.length !== references.length)
      throw new AppError("invalid_settings", 400, {
        details: `reference_weights: ${weights.length} weights for ${references.length} reference files`,
      });
    const admission = admissionFor(d.config, { kind: o.kind, settings, dir: d.uploadsDir });
    // Upload order: the main file first, then each reference as sent.
    for (const f of form.files) await validateAudio(f.path, f.originalName, admission);
    return { files: main, references, settings, fields: form.fields };
  } catch (err) {
    await discardFiles(form.files.map((f) => f.path));
    throw toAppError(err);
  }
}
