// How much audio a job's input may decode to. ffprobe's duration comes from a header (FLAC STREAMINFO,
// an MP3 Xing frame, ...) that a file can forge: a FLAC saying "2 s" may carry hours of frames. Every pass
// that decodes the input is therefore given a byte budget derived from what the probe claimed, and the
// runner (ffmpeg.ts) stops the pass as soon as the decoded output goes past it.

import { AppError } from "../errors";
import { PREVIEW_PREROLL_S, workRate } from "./plan";
import type { ProbeInfo } from "./probe";
import { type MasterSettings, resolveSettings } from "./settings";

/**
 * Slack over the probed duration: ffprobe *estimates* some durations (raw ADTS AAC, MP3 without a Xing
 * frame, from the bitrate); 10 % + 10 s covers those estimates, not a file that decodes to hours.
 */
export const BUDGET_SLACK = 0.1;
export const BUDGET_EXTRA_S = 10;
/** Room for a WAV header and a few packets past the limit (ffmpeg's `-fs` stops after the chunk that crosses it). */
const FILE_SLACK_BYTES = 1 << 20;

/** What a pass may produce: `bytes` of output; `claimed_s` is what the probe said (for the message). */
export type DecodeBudget = { bytes: number; claimed_s: number };

/** Seconds of audio the input may decode to, given what ffprobe claimed. */
export function budgetSeconds(info: Pick<ProbeInfo, "duration_s">): number {
  return info.duration_s * (1 + BUDGET_SLACK) + BUDGET_EXTRA_S;
}

/**
 * The budget of a pass whose output is float32 PCM at `rate` with `channels` (the analysis stream, the
 * chain's float intermediate). For a file output it includes room for the container header.
 */
export function pcmBudget(
  info: Pick<ProbeInfo, "duration_s">,
  rate: number,
  channels: number,
  o: { file?: boolean } = {},
): DecodeBudget {
  const frames = Math.ceil(budgetSeconds(info) * rate);
  return {
    bytes: frames * channels * 4 + (o.file ? FILE_SLACK_BYTES : 0),
    claimed_s: Math.round(info.duration_s * 10) / 10,
  };
}

/**
 * ffmpeg filter that ends the stream after the budget's frames (counted in samples, not timestamps, which
 * a file can forge too). For passes whose output the runner cannot count (`-f null`): they stop early,
 * and the pass that can count (the analysis) reports the error.
 */
export function budgetTrim(info: Pick<ProbeInfo, "duration_s" | "sample_rate">): string {
  return `atrim=end_sample=${Math.ceil(budgetSeconds(info) * info.sample_rate)}`;
}

export function budgetExceeded(b: DecodeBudget): AppError {
  return new AppError("audio_decodes_longer", 422, {
    claimed_s: b.claimed_s,
    limit_mb: Math.round(b.bytes / 1048576),
  });
}

/**
 * Disk a master of this input may need at worst: the float intermediate (at the chain's rate) plus the
 * result, which is never larger than float (wav32f is the widest format). A preview only renders
 * `excerptS` (plus pre-roll).
 */
export function workDiskBytes(
  info: ProbeInfo,
  settings: MasterSettings,
  o: { excerptS?: number } = {},
): number {
  const r = resolveSettings(settings);
  const rate = workRate(r, info.sample_rate);
  const span =
    o.excerptS === undefined
      ? info
      : { duration_s: Math.min(info.duration_s, o.excerptS + PREVIEW_PREROLL_S) };
  return 2 * pcmBudget(span, rate, Math.min(info.channels, 2), { file: true }).bytes;
}
