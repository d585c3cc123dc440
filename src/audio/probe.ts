// ffprobe wrapper: what the container says about a file (duration, rate, channels, codec, tags, cover).

import { AppError, isAppError } from "../errors";
import { runFfmpeg, runFfprobe } from "./ffmpeg";

export type ProbeInfo = {
  duration_s: number;
  sample_rate: number;
  channels: number;
  codec: string;
  /** Bits per sample for PCM/FLAC/ALAC; null for lossy codecs (they have no bit depth). */
  bit_depth: number | null;
  format_name: string;
  has_audio: boolean;
  /** Global tags plus the audio stream's tags, keys lower-cased. */
  tags: Record<string, string>;
  /** True when the file carries an attached picture (cover art). */
  has_cover: boolean;
};

type FfStream = {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  bits_per_sample?: number;
  bits_per_raw_sample?: string;
  sample_fmt?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
};
type FfProbeJson = {
  streams?: FfStream[];
  format?: { format_name?: string; duration?: string; tags?: Record<string, string> };
};

function lowerKeys(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function bitDepth(s: FfStream): number | null {
  const raw = Number(s.bits_per_raw_sample);
  if (Number.isFinite(raw) && raw > 0) return raw;
  if (s.bits_per_sample && s.bits_per_sample > 0) return s.bits_per_sample;
  // FLAC/ALAC report depth only through the sample format.
  if (s.codec_name === "flac" || s.codec_name === "alac") return s.sample_fmt?.startsWith("s16") ? 16 : 24;
  return null;
}

/**
 * ffprobe only *estimates* some durations (MP3 without a Xing frame, raw ADTS AAC: from the first
 * packets' bitrate, and says so). A VBR MP3 with a loud intro then quiet music probes as a fraction of
 * its length, and the decode budget would then stop a legitimate file. For those, read every packet
 * (demux only, no decoding: about 0.2 CPU-s for 10 min of MP3) and take the time of the last one.
 */
const ESTIMATED = /Estimating duration from bitrate/;

async function scannedDuration(file: string, signal?: AbortSignal): Promise<number | null> {
  let r: { stdout: string };
  try {
    r = await runFfmpeg(
      ["-v", "error", "-progress", "pipe:1", "-i", file, "-map", "0:a:0", "-c", "copy", "-f", "null", "-"],
      { signal, timeoutMs: 60_000 },
    );
  } catch (err) {
    // A scan that fails leaves the estimate; only a cancellation is the caller's business.
    if (isAppError(err) && err.code === "cancelled") throw err;
    return null;
  }
  const last = [...r.stdout.matchAll(/^out_time_us=(\d+)$/gm)].at(-1)?.[1];
  return last === undefined ? null : Number(last) / 1e6;
}

/**
 * Probes `file`. Throws AppError audio_file_missing (404), audio_unreadable (422) when ffprobe cannot parse it and
 * no_audio_stream (415) when it has no audio stream.
 */
export async function probe(file: string, opts: { signal?: AbortSignal } = {}): Promise<ProbeInfo> {
  // A missing path deserves its own message, not "unreadable".
  if (!(await Bun.file(file).exists())) throw new AppError("audio_file_missing", 404, { file });
  let json: FfProbeJson;
  let estimated = false;
  try {
    const r = await runFfprobe(
      ["-v", "warning", "-print_format", "json", "-show_format", "-show_streams", file],
      { signal: opts.signal, timeoutMs: 60_000 },
    );
    json = JSON.parse(r.stdout) as FfProbeJson;
    estimated = ESTIMATED.test(r.stderr);
  } catch (err) {
    if (isAppError(err) && err.code !== "ffmpeg_failed") throw err;
    throw new AppError("audio_unreadable", 422, {}, err);
  }
  const streams = json.streams ?? [];
  const audio = streams.find((s) => s.codec_type === "audio");
  if (!audio) throw new AppError("no_audio_stream", 415);
  const claimed = Number(json.format?.duration ?? audio.duration);
  const duration = estimated ? ((await scannedDuration(file, opts.signal)) ?? claimed) : claimed;
  return {
    duration_s: Number.isFinite(duration) ? duration : 0,
    sample_rate: Number(audio.sample_rate) || 0,
    channels: audio.channels ?? 0,
    codec: audio.codec_name ?? "unknown",
    bit_depth: bitDepth(audio),
    format_name: json.format?.format_name ?? "unknown",
    has_audio: true,
    tags: { ...lowerKeys(audio.tags), ...lowerKeys(json.format?.tags) },
    has_cover: streams.some((s) => s.codec_type === "video" && s.disposition?.attached_pic === 1),
  };
}
