// PURE planner: resolved settings + measured numbers → ffmpeg argument arrays for each pass of the
// flow (audio-dsp.md §5.3). No fs, no spawn, so every graph is unit-tested as a string.

import { encoderArgs } from "./formats";
import { frames100ms } from "./frames";
import { bandMeterFrames, type ChainContext, chainGraph, REFERENCE_LUFS } from "./plan-chain";
import type { ResolvedSettings } from "./settings";

export {
  BANDS,
  type ChainContext,
  chainGraph,
  crossoverSplits,
  multiband,
  REFERENCE_LUFS,
} from "./plan-chain";

/** dB kept between the limiter's ceiling and the goal: 4× soxr still overshoots 0–0.2 dB. */
export const LIMITER_MARGIN_DB = 0.2;
/** Offsets (dB above the linear gain) tried in one search pass; the limiter makes I(g) concave. */
export const SEARCH_OFFSETS_DB = [0, 1, 2.5, 4, 6, 9] as const;

const f = (x: number, digits = 4) => Number(x.toFixed(digits)).toString();
const lin = (db: number) => 10 ** (db / 20);

/** Gain-staging to the chain's reference loudness, clamped to ±20 dB. */
export function preGainDb(inputLufs: number): number {
  return Math.max(-20, Math.min(20, REFERENCE_LUFS - inputLufs));
}

/** Rate the chain runs at: the requested rate, else the input's, bent to what the encoder accepts. */
export function workRate(s: ResolvedSettings, inputRate: number): number {
  const want = s.sample_rate === "keep" ? inputRate : s.sample_rate;
  const rates = s.format.rates;
  if (!rates || rates.includes(want)) return want;
  return rates.find((r) => r >= want) ?? (rates[rates.length - 1] as number);
}

/**
 * A sample-peak limiter, optionally run at 4× the rate through soxr so it catches inter-sample
 * peaks. level=0 (no auto make-up) and latency=1 (no delay) are not the defaults (pitfall 3).
 */
export function limiter(ceilingDb: number, rate: number, oversample: 1 | 4, releaseMs = 60): string {
  const limit = Math.max(0.0625, lin(ceilingDb - LIMITER_MARGIN_DB));
  const core = `alimiter=limit=${f(limit, 6)}:attack=1:release=${f(releaseMs, 1)}:asc=1:level=0:latency=1`;
  if (oversample === 1) return core;
  return `aresample=${rate * 4}:resampler=soxr,${core},aresample=${rate}:resampler=soxr`;
}

/**
 * Pass 2: input → chain → 32-bit float WAV intermediate, the only output: the limiter model folds the
 * file as it is written (wav-follow.ts), which costs Bun less than a copy of the samples on stdout. No
 * meter in the graph: the model gives L_pre and the sample peak from the same samples, which saved the
 * ebur128 instance (≈ 0.4 CPU-s per 3 min).
 */
export function planChainPass(
  s: ResolvedSettings,
  ctx: ChainContext,
  input: string,
  intermediate: string,
  segment?: ChainSegment,
): string[] {
  const chain = segment
    ? segmentGraph(s, ctx, segment)
    : chainGraph(s.modules, ctx, "0:a", "chain", s.mix, true);
  return [
    "-i",
    input,
    "-filter_complex",
    chain,
    "-map",
    "[chain]",
    "-c:a",
    "pcm_f32le",
    "-f",
    "wav",
    "-y",
    intermediate,
  ];
}

/**
 * One slice of the chain pass's timeline, in whole seconds of the input, for two processes that run the
 * halves side by side (chain-run.ts). The slice's process starts reading `preroll_s` before `from_s` so
 * every filter's state has settled by then, and drops what it made of the pre-roll.
 */
export type ChainSegment = { from_s: number; to_s: number | null; preroll_s: number };

/**
 * Seconds a segment's process reads past its end. Every filter of a split chain is causal but the
 * resampler, whose linear-phase filter looks a few ms ahead; without more input the last frames before
 * the cut would differ from one run's. (ffmpeg does not stop reading at an output trim: the band meters
 * still pull, so the input is cut too, which also saves decoding the rest.)
 */
export const SEGMENT_LOOKAHEAD_S = 1;

/**
 * The chain over one segment: the input cut by sample count (never by timestamps, which a file can
 * forge), the chain, then the output cut to the segment, so the slices join sample-exactly (whole
 * seconds are whole samples at both rates; the chain keeps the sample count). The band meters see only
 * the segment's own frames, the same every-16th ones as one run over the file.
 */
function segmentGraph(s: ResolvedSettings, ctx: ChainContext, seg: ChainSegment): string {
  const start = Math.max(0, seg.from_s - seg.preroll_s);
  const skip = seg.from_s - start;
  const end = seg.to_s === null ? null : seg.to_s - start;
  const cut = (name: string, samples: number | null) =>
    samples === null || samples === 0 ? [] : [`${name}=${samples}`];
  const inputCut = [
    ...cut("start_sample", start * ctx.input_rate),
    ...cut("end_sample", seg.to_s === null ? null : (seg.to_s + SEGMENT_LOOKAHEAD_S) * ctx.input_rate),
  ];
  const outputCut = [
    ...cut("start_sample", skip * ctx.work_rate),
    ...cut("end_sample", end === null ? null : end * ctx.work_rate),
  ];
  const window = [skip > 0 ? `gte(t\\,${skip})` : "", end !== null ? `lt(t\\,${end})` : ""].filter(Boolean);
  return [
    `[0:a]${inputCut.length ? `atrim=${inputCut.join(":")},` : ""}asetpts=PTS-STARTPTS[seg]`,
    chainGraph(s.modules, ctx, "seg", "pre", s.mix, bandMeterFrames(start * 10, window.join("*"))),
    `[pre]${outputCut.length ? `atrim=${outputCut.join(":")},` : ""}asetpts=PTS-STARTPTS[chain]`,
  ].join(";");
}

/**
 * One decode of the intermediate feeds one 1× limiter + meter branch per candidate gain: the old search
 * pass, kept as the reference the limiter model is tested against (test/integration/audio/limit-model.test.ts).
 */
export function planSearchPass(
  intermediate: string,
  gainsDb: readonly number[],
  ceilingDb: number,
  releaseMs = 60,
): string[] {
  const n = gainsDb.length;
  const split = `[0:a]asplit=${n}${gainsDb.map((_, i) => `[s${i}]`).join("")}`;
  const branches = gainsDb.map(
    (g, i) =>
      `[s${i}]volume=${f(g, 3)}dB,${limiter(ceilingDb, 0, 1, releaseMs)},ebur128@c${i}=framelog=verbose${i === 0 ? "[out]" : ",anullsink"}`,
  );
  return [
    "-i",
    intermediate,
    "-filter_complex",
    [split, ...branches].join(";"),
    "-map",
    "[out]",
    "-f",
    "null",
    "-",
  ];
}

/** Metadata arguments: allow-listed input tags, caller tags, and the "encoded by" mark. */
export function tagArgs(
  inputTags: Record<string, string>,
  tags: Record<string, string>,
  version: string,
): string[] {
  const keep = [
    "title",
    "artist",
    "album",
    "album_artist",
    "date",
    "genre",
    "track",
    "disc",
    "composer",
    "copyright",
  ];
  const merged: Record<string, string> = {};
  for (const k of keep) if (inputTags[k]) merged[k] = inputTags[k];
  for (const [k, v] of Object.entries(tags)) merged[k === "year" ? "date" : k] = v;
  merged.comment ??= `Encoded by Magic Master ${version}`;
  merged.encoded_by = `Magic Master ${version}`;
  return Object.entries(merged).flatMap(([k, v]) => ["-metadata", `${k}=${v}`]);
}

export type FinalPlan = {
  intermediate: string;
  output: string;
  gain_db: number;
  ceiling_db: number;
  rate: number;
  /** Original input, mapped only for cover art when the container can carry it. */
  cover_from?: string;
  tags: string[];
  /**
   * Lossless formats: a FIFO the same process also writes the samples it writes (after dither, as raw
   * float) into; a meter process on the other core reads them (render-meter.ts), so the verify step needs
   * no second decode of the file and the true-peak meter is off the render's core.
   */
  meter?: string;
};

/**
 * Pass 4: final gain → 4× soxr true-peak limiter → (TPDF dither to 16 bit only) → encoder. Lossy
 * encoders get float, never dithered 16-bit (defect §1.9.7).
 */
export function planFinalPass(s: ResolvedSettings, p: FinalPlan): string[] {
  const chain = [
    frames100ms(p.rate),
    `volume=${f(p.gain_db, 3)}dB`,
    limiter(p.ceiling_db, p.rate, 4, s.limiter_release_ms),
  ];
  if (s.format.bit_depth === 16) {
    chain.push(
      s.modules.dither.enabled ? "aresample=osf=s16:dither_method=triangular" : "aformat=sample_fmts=s16",
    );
  }
  const cover = p.cover_from && s.format.cover ? ["-i", p.cover_from] : [];
  const meter = p.meter !== undefined && !s.format.lossy;
  const graph = meter
    ? `[0:a]${chain.join(",")},asplit=2[out][mv];[mv]aformat=sample_fmts=flt[meter]`
    : `[0:a]${chain.join(",")}[out]`;
  const maps = [
    "-map",
    "[out]",
    ...(cover.length ? ["-map", "1:v:0?", "-c:v", "copy", "-disposition:v:0", "attached_pic"] : []),
  ];
  return [
    "-i",
    p.intermediate,
    ...cover,
    "-filter_complex",
    graph,
    ...maps,
    "-map_metadata",
    "-1",
    ...p.tags,
    ...encoderArgs(s.format, s.bitrate),
    ...(s.format.muxer === "mp3" ? ["-id3v2_version", "3"] : []),
    "-f",
    s.format.muxer,
    "-y",
    p.output,
    ...(meter ? ["-map", "[meter]", "-c:a", "pcm_f32le", "-f", "f32le", "-y", p.meter as string] : []),
  ];
}

/** Seconds of input the preview's chain runs before the excerpt, so compressor/filter state is settled. */
export const PREVIEW_PREROLL_S = 5;

/**
 * Preview pass: decodes only pre-roll + excerpt (input-side seek), runs the chain over it and drops
 * the pre-roll. In the same invocation: ebur128@in meters the raw input over the excerpt and
 * ebur128@pre the chain output over it (their difference is the chain's loudness change there),
 * the excerpt is written as float, and one 1× limiter + meter branch per candidate gain measures
 * how much the limiter takes out of the excerpt.
 */
export function planPreviewPass(
  s: ResolvedSettings,
  ctx: ChainContext,
  input: string,
  excerpt: string,
  window: { start_s: number; duration_s: number },
  gainsDb: readonly number[],
): string[] {
  const pre = Math.min(PREVIEW_PREROLL_S, window.start_s);
  const trim = `atrim=start=${f(pre, 6)},asetpts=PTS-STARTPTS`;
  const n = gainsDb.length;
  const graph = [
    "[0:a]asplit=2[a][b]",
    `[b]aformat=sample_fmts=flt,${trim},ebur128@in=framelog=verbose,anullsink`,
    chainGraph(s.modules, ctx, "a", "chain", s.mix),
    `[chain]${trim},ebur128@pre=peak=sample:framelog=verbose,asplit=${n + 1}[xo]${gainsDb.map((_, i) => `[s${i}]`).join("")}`,
    ...gainsDb.map(
      (g, i) =>
        `[s${i}]volume=${f(g, 3)}dB,${limiter(s.render_ceiling_dbtp, 0, 1, s.limiter_release_ms)},ebur128@c${i}=framelog=verbose,anullsink`,
    ),
  ].join(";");
  return [
    "-ss",
    f(window.start_s - pre, 6),
    "-t",
    f(window.duration_s + pre, 6),
    "-i",
    input,
    "-filter_complex",
    graph,
    "-map",
    "[xo]",
    "-c:a",
    "pcm_f32le",
    "-f",
    "wav",
    "-y",
    excerpt,
  ];
}
