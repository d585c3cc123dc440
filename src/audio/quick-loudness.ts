// Integrated loudness of an input before its chain runs (the chain's gain staging; an album's per-track
// levels), folded in JS with ffmpeg's own ebur128 arithmetic (meter/loudness.ts: the same value the
// analysis reads, so the chain is never re-staged) instead of an ffmpeg ebur128 pass. A 1–2 channel PCM WAV is read straight from the file: no process at all (an
// ffmpeg start alone costs ≈ 0.09 CPU-s here, it links 215 libraries) and no filter graph. Anything else
// is decoded by ffmpeg to float on a pipe. More than 2 channels keep ebur128 (its surround weights).

import { budgetSeconds, budgetTrim } from "./budget";
import { parseEburSummaries } from "./ebur128-parse";
import { runFfmpeg, runFfmpegStream } from "./ffmpeg";
import { frames100ms } from "./frames";
import type { WavLayout } from "./intermediate";
import { LoudnessMeter } from "./meter/loudness";
import { F32Frames } from "./pcm-stats";
import type { PlotAccumulator } from "./plots";
import type { ProbeInfo } from "./probe";
import { readPcmWav, readWavHeader, wavPcmReadable } from "./wav-read";

export type PassOptions = { signal?: AbortSignal; timeoutMs?: number };

/** The value analyze() reports for the same file: 0.1 LU, null under the −70 LUFS gate. */
const reported = (i: number | undefined) =>
  i !== undefined && Number.isFinite(i) && i > -70 ? Math.round(i * 10) / 10 : null;

/** The WAV's layout when JS can read its samples as the probe described them; null otherwise. */
export async function directWav(input: string, info: ProbeInfo): Promise<WavLayout | null> {
  if (!info.format_name.split(",").includes("wav")) return null;
  let layout: WavLayout | null;
  try {
    layout = (await readWavHeader(input)).layout;
  } catch {
    return null;
  }
  // What the decoder would see: same rate and channels as the probe said, a sample format JS reads.
  if (!layout || layout.rate !== info.sample_rate || layout.channels !== info.channels) return null;
  return wavPcmReadable(layout) ? layout : null;
}

/**
 * Integrated loudness only (no true peak, no statistics): what the chain's gain staging needs. The decode
 * stops at the budget (a forged length) without an error: the analysis pass reports that.
 */
export async function quickLoudness(
  input: string,
  info: ProbeInfo,
  pass: PassOptions,
): Promise<number | null> {
  return (await quickMeter(input, info, pass)).lufs;
}

/**
 * quickLoudness with its meter (1–2 channels: the JS LoudnessMeter, null for ebur128): the analysis of the
 * same input takes its I, LRA and timeline from it instead of K-weighting the samples again (analyze.ts).
 * `plots` gets the meter's 100 ms short-term values (the analysis then folds the rest of its plot data).
 */
export async function quickMeter(
  input: string,
  info: ProbeInfo,
  pass: PassOptions,
  plots?: PlotAccumulator,
): Promise<{ lufs: number | null; meter: LoudnessMeter | null }> {
  if (info.channels !== 1 && info.channels !== 2)
    return { lufs: await ebur128Loudness(input, info, pass), meter: null };
  const maxFrames = Math.ceil(budgetSeconds(info) * info.sample_rate);
  const layout = await directWav(input, info);
  const meter = new LoudnessMeter(info.channels, info.sample_rate, plots && ((t, l) => plots.frame(t, l)));
  if (layout) {
    await readPcmWav(input, layout, maxFrames, (x) => meter.push(x, x.length), pass.signal);
  } else {
    const frames = new F32Frames(info.channels, (x, n) => meter.push(x, n));
    const graph = `[0:a]${budgetTrim(info)},${frames100ms(info.sample_rate)},aformat=sample_fmts=flt[out]`;
    await runFfmpegStream(
      ["-i", input, "-filter_complex", graph, "-map", "[out]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
      (chunk) => frames.push(chunk),
      { signal: pass.signal, timeoutMs: pass.timeoutMs },
    );
  }
  return { lufs: reported(meter.integrated()), meter };
}

/** ffmpeg's ebur128 over the input (any layout: it weights surround channels as BS.1770 says). */
async function ebur128Loudness(input: string, info: ProbeInfo, pass: PassOptions): Promise<number | null> {
  const graph = `[0:a]${budgetTrim(info)},${frames100ms(info.sample_rate)},aformat=sample_fmts=flt,ebur128@in=peak=none`;
  const { stderr } = await runFfmpeg(["-i", input, "-filter_complex", graph, "-f", "null", "-"], {
    signal: pass.signal,
    timeoutMs: pass.timeoutMs,
  });
  return reported(parseEburSummaries(stderr).get("in")?.integrated_lufs);
}
