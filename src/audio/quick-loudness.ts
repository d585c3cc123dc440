// Integrated loudness of an input before its chain runs (the chain's gain staging; an album's per-track
// levels), folded in JS (BS.1770: K-weighting, 400 ms blocks, both gates; limit-model.ts) instead of an
// ffmpeg ebur128 pass. A 1–2 channel PCM WAV is read straight from the file: no process at all (an
// ffmpeg start alone costs ≈ 0.09 CPU-s here, it links 215 libraries) and no filter graph. Anything else
// is decoded by ffmpeg to float on a pipe. More than 2 channels keep ebur128 (its surround weights).

import { budgetSeconds, budgetTrim } from "./budget";
import { parseEburSummaries } from "./ebur128-parse";
import { runFfmpeg, runFfmpegStream } from "./ffmpeg";
import { frames100ms } from "./frames";
import { parseWavHeader, type WavLayout } from "./intermediate";
import { LimitModelFold } from "./limit-model";
import type { ProbeInfo } from "./probe";
import { readPcmWav, wavPcmReadable } from "./wav-read";

export type PassOptions = { signal?: AbortSignal; timeoutMs?: number };

/** The value analyze() reports for the same file: 0.1 LU, null under the −70 LUFS gate. */
const reported = (i: number | undefined) =>
  i !== undefined && Number.isFinite(i) && i > -70 ? Math.round(i * 10) / 10 : null;

/** Regroups pipe chunks (any byte length) into whole interleaved float frames for the fold. */
function frameFeeder(channels: number, fold: LimitModelFold): (chunk: Uint8Array) => void {
  const frameBytes = 4 * channels;
  let carry = new Uint8Array(0);
  return (chunk) => {
    let b = chunk;
    if (carry.length > 0) {
      b = new Uint8Array(carry.length + chunk.length);
      b.set(carry);
      b.set(chunk, carry.length);
    }
    const whole = b.length - (b.length % frameBytes);
    // A copy starts 4-byte aligned whatever offset the chunk had.
    const x = new Float32Array(b.slice(0, whole).buffer);
    fold.push(x, x.length);
    carry = b.slice(whole);
  };
}

/** The WAV's layout when JS can read its samples as the probe described them; null otherwise. */
async function directWav(input: string, info: ProbeInfo): Promise<WavLayout | null> {
  if (!info.format_name.split(",").includes("wav")) return null;
  const file = Bun.file(input);
  const head = new Uint8Array(await file.slice(0, 1 << 16).arrayBuffer());
  let layout: WavLayout | null;
  try {
    layout = parseWavHeader(head, file.size);
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
  if (info.channels < 1 || info.channels > 2) return ebur128Loudness(input, info, pass);
  const maxFrames = Math.ceil(budgetSeconds(info) * info.sample_rate);
  const layout = await directWav(input, info);
  const fold = new LimitModelFold(info.channels, info.sample_rate);
  if (layout) {
    await readPcmWav(input, layout, maxFrames, (x) => fold.push(x, x.length), pass.signal);
  } else {
    const graph = `[0:a]${budgetTrim(info)},${frames100ms(info.sample_rate)},aformat=sample_fmts=flt[out]`;
    await runFfmpegStream(
      ["-i", input, "-filter_complex", graph, "-map", "[out]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
      frameFeeder(info.channels, fold),
      { signal: pass.signal, timeoutMs: pass.timeoutMs },
    );
  }
  return reported(fold.model().loudness(0, null));
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
