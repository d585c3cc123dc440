// What reference matching measures of a file (the input, each reference, the chain's intermediate, the
// delivered file), in ONE decode: ebur128 inside ffmpeg (integrated loudness, LRA, true and sample peak,
// the short-term loudness of every 100 ms frame), the float samples streamed through JS into the long-term
// 1/3-octave mid/side spectrum (match-spectrum.ts) and the RMS for the crest factor.

import { AppError } from "../errors";
import { meteredPcmArgs } from "./analyze";
import { pcmBudget } from "./budget";
import { parseEburFrame, parseEburSummaries } from "./ebur128-parse";
import { runFfmpegStream } from "./ffmpeg";
import { type BandSpectrum, SpectrumAccumulator } from "./match-spectrum";
import { F32Frames } from "./pcm-stats";
import { type ProbeInfo, probe } from "./probe";

export type MatchMeasurement = {
  duration_s: number;
  sample_rate: number;
  channels: number;
  integrated_lufs: number;
  lra_lu: number | null;
  true_peak_dbtp: number | null;
  /** Sample peak − RMS, dB. */
  crest_db: number | null;
  /** Distribution of the short-term (3 s) loudness over the file (ungated above −70 LUFS), LUFS. */
  short_term: { p10: number; p50: number; p95: number } | null;
  /** Share of 100 ms momentary frames 20 dB or more below the loud (p90) frames, or silent: pauses. */
  pause_ratio: number;
  spectrum: BandSpectrum;
};

const r2 = (x: number) => Math.round(x * 100) / 100;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[i] as number;
}

export type MeasureOptions = {
  signal?: AbortSignal;
  timeoutMs?: number;
  info?: ProbeInfo;
  /** Filters run before measuring (the refinement measures the chain's output through the limiter). */
  filter?: string;
};

/** Measures `file` for matching. Throws audio_silent (422) when it has no measurable loudness. */
export async function measureForMatch(file: string, o: MeasureOptions = {}): Promise<MatchMeasurement> {
  const info = o.info ?? (await probe(file, { signal: o.signal }));
  const channels = Math.min(2, info.channels);
  const acc = new SpectrumAccumulator(channels, info.sample_rate);
  let sumSq = 0;
  let peak = 0;
  let samples = 0;
  // Whole float frames from one reused aligned buffer (no per-chunk copies, no DataView per sample).
  const frames = new F32Frames(channels, (x, n) => {
    let sq = sumSq;
    let pk = peak;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      sq += v * v;
      const a = Math.abs(v);
      if (a > pk) pk = a;
    }
    sumSq = sq;
    peak = pk;
    samples += n;
  });
  const short: number[] = [];
  const momentary: number[] = [];
  const down = info.channels > 2 ? ",aformat=channel_layouts=stereo" : "";
  const args = meteredPcmArgs(
    file,
    `aformat=sample_fmts=flt${down}${o.filter ? `,${o.filter}` : ""}`,
    "mm",
    "info",
    info.sample_rate,
  );
  const { stderr } = await runFfmpegStream(
    args,
    (chunk) => {
      acc.push(chunk);
      frames.push(chunk);
    },
    {
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      budget: pcmBudget(info, info.sample_rate, channels),
      onStderrLine: (line) => {
        const fr = parseEburFrame(line);
        // Short-term needs 3 s of audio; earlier frames read the window's partial fill.
        if (fr?.name !== "mm") return;
        if (fr.frame.t >= 3 && fr.frame.s > -70) short.push(fr.frame.s);
        // Momentary reads −120.7 until its 400 ms window has filled.
        if (fr.frame.t >= 0.4) momentary.push(Number.isFinite(fr.frame.m) ? fr.frame.m : -120);
      },
    },
  );
  const sum = parseEburSummaries(stderr).get("mm");
  if (!sum || !(sum.integrated_lufs > -70)) throw new AppError("audio_silent", 422);
  const rms = samples > 0 ? Math.sqrt(sumSq / samples) : 0;
  short.sort((a, b) => a - b);
  const loudM = momentary.length
    ? percentile(
        [...momentary].sort((a, b) => a - b),
        90,
      )
    : 0;
  const pauses = momentary.filter((m) => m < -70 || m < loudM - 20).length;
  return {
    duration_s: info.duration_s,
    sample_rate: info.sample_rate,
    channels,
    integrated_lufs: sum.integrated_lufs,
    lra_lu: Number.isFinite(sum.lra_lu) ? sum.lra_lu : null,
    true_peak_dbtp:
      sum.true_peak_dbfs !== null && Number.isFinite(sum.true_peak_dbfs) ? sum.true_peak_dbfs : null,
    crest_db: peak > 0 && rms > 0 ? r2(20 * Math.log10(peak / rms)) : null,
    short_term:
      short.length > 0
        ? { p10: r2(percentile(short, 10)), p50: r2(percentile(short, 50)), p95: r2(percentile(short, 95)) }
        : null,
    pause_ratio: momentary.length ? r2(pauses / momentary.length) : 0,
    spectrum: acc.result(),
  };
}
