// The plot data of one file (plots.ts) from ONE decode: ffmpeg meters the short-term loudness (ebur128
// frame lines on stderr, no true-peak oversampling: the analysis has those numbers) and streams the float
// samples to JS, which folds them into the waveform and the spectrum chunk by chunk. Bounded by the same
// decode budget as every pass over an input.

import { jsMeter } from "./analyze";
import { budgetTrim, pcmBudget } from "./budget";
import { parseEburFrame } from "./ebur128-parse";
import { runFfmpeg, runFfmpegStream } from "./ffmpeg";
import { PlotAccumulator, type TrackPlots } from "./plots";
import { type ProbeInfo, probe } from "./probe";

export type PlotOptions = { signal?: AbortSignal; timeoutMs?: number; info?: ProbeInfo };

/**
 * Handed to master() (its `plots` option) and filled by it: the input's probe, and the plot data of the
 * input and of the delivered file folded by the passes that read those samples anyway (the analysis, the
 * verify of the written file). A side left empty (a shape the JS meter does not fold) is computePlots'
 * job; the probe spares the plots and the listening copy their own ffprobe runs.
 */
export type PassPlots = { input?: ProbeInfo; before?: TrackPlots; after?: TrackPlots };

/** An accumulator for a pass over a stream of this shape when it can fold plots (jsMeter), else undefined. */
export function plotFold(
  plots: PassPlots | undefined,
  shape: Pick<ProbeInfo, "channels" | "sample_rate" | "duration_s">,
): PlotAccumulator | undefined {
  if (!plots || !jsMeter(shape)) return undefined;
  return new PlotAccumulator(shape.channels, shape.sample_rate, shape.duration_s);
}

/** The plot data `acc` folded, if a pass fed it. */
export const foldedPlots = (acc: PlotAccumulator | undefined): TrackPlots | undefined =>
  acc && acc.seen > 0 ? acc.result() : undefined;

/** ffmpeg arguments: `file` → float (stereo at most) → ebur128@plot (frame lines) → f32le on stdout. */
export function plotArgs(file: string, channels: number): string[] {
  const down = channels > 2 ? ",aformat=channel_layouts=stereo" : "";
  return [
    "-i",
    file,
    "-filter_complex",
    `[0:a]aformat=sample_fmts=flt${down},ebur128@plot=framelog=info[out]`,
    "-map",
    "[out]",
    "-c:a",
    "pcm_f32le",
    "-f",
    "f32le",
    "pipe:1",
  ];
}

/** Waveform, short-term loudness timeline and long-term spectrum of `file`. */
export async function computePlots(file: string, o: PlotOptions = {}): Promise<TrackPlots> {
  const info = o.info ?? (await probe(file, { signal: o.signal }));
  const channels = Math.min(2, info.channels);
  const acc = new PlotAccumulator(channels, info.sample_rate, info.duration_s);
  await runFfmpegStream(plotArgs(file, info.channels), (chunk) => acc.push(chunk), {
    signal: o.signal,
    timeoutMs: o.timeoutMs,
    budget: pcmBudget(info, info.sample_rate, channels),
    onStderrLine: (line) => {
      const fr = parseEburFrame(line);
      if (fr?.name === "plot") acc.frame(fr.frame.t, fr.frame.s);
    },
  });
  return acc.result();
}

/**
 * A copy of `input` for the result page's "before" player (the upload itself is deleted when the job ends):
 * FLAC, 16 bit (TPDF dither), at most stereo, the input's rate, no processing — a lossless A/B at the same
 * level, and about a quarter of the CPU of an MP3 encode (FLAC level 0; it plays in every current browser).
 */
export async function encodeListeningCopy(input: string, output: string, o: PlotOptions = {}): Promise<void> {
  const info = o.info ?? (await probe(input, { signal: o.signal }));
  const args = [
    "-i",
    input,
    "-map",
    "0:a:0",
    "-af",
    `${budgetTrim(info)},aresample=osf=s16:dither_method=triangular`,
    ...(info.channels > 2 ? ["-ac", "2"] : []),
    "-map_metadata",
    "-1",
    "-c:a",
    "flac",
    "-compression_level",
    "0",
    "-f",
    "flac",
    "-y",
    output,
  ];
  await runFfmpeg(args, { signal: o.signal, timeoutMs: o.timeoutMs, outputs: [output] });
}
