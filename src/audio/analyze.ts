// analyze(file): loudness (BS.1770 / EBU R128 via ffmpeg ebur128), peaks, RMS, DC, clipping, stereo
// correlation, a per-second loudness timeline, a 64-band spectrum and per-platform verdicts.
// The heavy metering runs inside ffmpeg (off the event loop); JS only sees one bounded window of
// mono PCM (≤ 8 s) for the spectrum.

import { parseAstats, parseEburFrame, parseEburSummaries } from "./ebur128-parse";
import { runFfmpeg, runFfmpegBytes } from "./ffmpeg";
import { type ProbeInfo, probe } from "./probe";
import { spectrumBands } from "./spectrum";
import { type PlatformVerdict, platformVerdicts } from "./verdicts";

export type Analysis = {
  duration_s: number;
  sample_rate: number;
  channels: number;
  codec: string;
  bit_depth: number | null;
  format_name: string;
  /** Integrated loudness, LUFS; null below the −70 LUFS gate (silence, or < 400 ms). */
  integrated_lufs: number | null;
  lra_lu: number | null;
  true_peak_dbtp: number | null;
  sample_peak_dbfs: number | null;
  rms_dbfs: number | null;
  /** Sample peak − RMS, dB. */
  crest_db: number | null;
  /** Largest per-channel DC offset (linear, −1…1). */
  dc_offset: number | null;
  /** Samples sitting at the file's maximum level when that level is ≥ −0.1 dBFS (i.e. clipped flat tops). */
  clipped_samples: number;
  /** Pearson r(L, R); null unless the file has exactly two channels. */
  stereo_correlation: number | null;
  /** One point per second: short-term (3 s) and momentary (400 ms) loudness; null where not defined. */
  timeline: { step_s: number; short_term_lufs: (number | null)[]; momentary_lufs: (number | null)[] };
  /** 64 log-spaced bands 20 Hz–20 kHz of a window from the middle of the file, dBFS. */
  spectrum: { hz: number[]; db: (number | null)[] };
  platforms: PlatformVerdict[];
};

const SPECTRUM_WINDOW_S = 8;

/** Finite numbers rounded to `d` decimals; anything else (NaN, ±inf) becomes null. */
export function finite(x: number | undefined, d = 2): number | null {
  if (x === undefined || !Number.isFinite(x)) return null;
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

const loud = (x: number) => (Number.isFinite(x) && x > -120 ? Math.round(x * 10) / 10 : null);
const dbToLin = (db: number | undefined) => (db === undefined || !Number.isFinite(db) ? 0 : 10 ** (db / 20));

function meterGraph(channels: number): string {
  const ms =
    channels === 2
      ? ";[m]pan=stereo|c0=0.5*c0+0.5*c1|c1=0.5*c0-0.5*c1,astats@ms=measure_perchannel=DC_offset+RMS_level:measure_overall=none,anullsink"
      : "";
  return (
    [
      `[0:a]aformat=sample_fmts=flt,asplit=${channels === 2 ? 3 : 2}[e][s]${channels === 2 ? "[m]" : ""}`,
      "[e]ebur128@in=peak=true+sample:framelog=info[out]",
      "[s]astats@lr=measure_perchannel=DC_offset+RMS_level:measure_overall=Peak_level+RMS_level+Peak_count+Number_of_samples,anullsink",
    ].join(";") + ms
  );
}

function correlation(ch: Record<string, number>[], ms: Record<string, number>[]): number | null {
  const variance = (c: Record<string, number> | undefined) =>
    dbToLin(c?.["RMS level dB"]) ** 2 - (c?.["DC offset"] ?? 0) ** 2;
  const vl = variance(ch[0]);
  const vr = variance(ch[1]);
  if (vl <= 1e-15 || vr <= 1e-15) return 0;
  // With M=(L+R)/2 and S=(L−R)/2, var(M) − var(S) = cov(L, R).
  const r = (variance(ms[0]) - variance(ms[1])) / Math.sqrt(vl * vr);
  return Math.round(Math.max(-1, Math.min(1, r)) * 1e4) / 1e4;
}

async function spectrumWindow(file: string, info: ProbeInfo, signal?: AbortSignal) {
  const start = Math.max(0, info.duration_s / 2 - SPECTRUM_WINDOW_S / 2);
  const mono =
    info.channels === 2 ? ["-af", "pan=mono|c0=0.5*c0+0.5*c1"] : info.channels > 2 ? ["-ac", "1"] : [];
  const bytes = await runFfmpegBytes(
    [
      "-ss",
      start.toFixed(3),
      "-t",
      String(SPECTRUM_WINDOW_S),
      "-i",
      file,
      "-map",
      "0:a:0",
      ...mono,
      "-f",
      "f32le",
      "pipe:1",
    ],
    Math.ceil(SPECTRUM_WINDOW_S * info.sample_rate * 4 * 1.1) + 4096,
    { signal, timeoutMs: 120_000 },
  );
  const samples = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  return spectrumBands(samples, info.sample_rate);
}

export type AnalyzeOptions = {
  signal?: AbortSignal;
  /** Skip the ffprobe call when the caller already probed the file. */
  info?: ProbeInfo;
  onProgress?: (fraction: number) => void;
  timeoutMs?: number;
};

/** Measures `file`. JSON-serialisable; non-finite values are null. */
export async function analyze(file: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const info = opts.info ?? (await probe(file, { signal: opts.signal }));
  const short: (number | null)[] = [];
  const momentary: (number | null)[] = [];
  const onStderrLine = (line: string) => {
    const fr = parseEburFrame(line);
    if (fr?.name !== "in") return;
    const tenth = Math.round(fr.frame.t * 10);
    if (tenth % 10 !== 0) return;
    short[tenth / 10 - 1] = loud(fr.frame.s);
    momentary[tenth / 10 - 1] = loud(fr.frame.m);
  };
  const meter = runFfmpeg(
    ["-i", file, "-filter_complex", meterGraph(info.channels), "-map", "[out]", "-f", "null", "-"],
    {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      durationS: info.duration_s,
      onProgress: opts.onProgress,
      onStderrLine,
    },
  );
  const [{ stderr }, spectrum] = await Promise.all([meter, spectrumWindow(file, info, opts.signal)]);
  const ebur = parseEburSummaries(stderr).get("in");
  const stats = parseAstats(stderr);
  const lr = stats.get("lr");
  const overall = lr?.overall ?? {};
  const peak = overall["Peak level dB"];
  const rms = overall["RMS level dB"];
  const integrated = ebur && ebur.integrated_lufs > -70 ? ebur.integrated_lufs : Number.NaN;
  const truePeak = finite(ebur?.true_peak_dbfs ?? Number.NaN, 1);
  const dc = Math.max(0, ...(lr?.channels ?? []).map((c) => Math.abs(c["DC offset"] ?? 0)));
  const ms = stats.get("ms");
  return {
    duration_s: finite(info.duration_s, 3) ?? 0,
    sample_rate: info.sample_rate,
    channels: info.channels,
    codec: info.codec,
    bit_depth: info.bit_depth,
    format_name: info.format_name,
    integrated_lufs: finite(integrated, 1),
    lra_lu: Number.isFinite(integrated) ? finite(ebur?.lra_lu, 1) : null,
    true_peak_dbtp: truePeak,
    sample_peak_dbfs: finite(peak),
    rms_dbfs: finite(rms),
    crest_db: finite((peak ?? Number.NaN) - (rms ?? Number.NaN)),
    dc_offset: finite(dc, 6),
    clipped_samples: peak !== undefined && peak >= -0.1 ? (overall["Peak count"] ?? 0) : 0,
    stereo_correlation: info.channels === 2 && lr && ms ? correlation(lr.channels, ms.channels) : null,
    timeline: {
      step_s: 1,
      short_term_lufs: Array.from(short, (v) => v ?? null),
      momentary_lufs: Array.from(momentary, (v) => v ?? null),
    },
    spectrum,
    platforms: platformVerdicts(finite(integrated, 1), truePeak),
  };
}
