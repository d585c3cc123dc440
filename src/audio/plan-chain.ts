// PURE: the processing chain (everything before the final gain and limiter) as an ffmpeg filter
// graph fragment. A style is data; this file only turns numbers into filters. No fs, no spawn.

import { frames100ms } from "./frames";
import { type MatchPlan, matchActive, matchFragment } from "./plan-match";
import { transientShaper } from "./plan-transient";
import type { ResolvedModules } from "./settings";

export type ChainContext = {
  /** Rate of the decoded input. */
  input_rate: number;
  /** Rate the chain and the output run at (soxr conversion first when it differs). */
  work_rate: number;
  /** Channels of the input; > 2 are downmixed to stereo, mono stays mono. */
  channels: number;
  /** Gain-staging to the −18 LUFS reference, so compressor thresholds mean the same for any upload. */
  pre_gain_db: number;
  /** Reference matching (plan-match.ts): corrective EQ and width, applied right after gain staging. */
  match?: MatchPlan | null;
};

/** Reference loudness the chain is designed for (compressor thresholds are relative to it). */
export const REFERENCE_LUFS = -18;

/** Multiband bands: upper edge (Hz), compressor threshold (dBFS at −18 LUFS), ratio, attack/release ms. */
export const BANDS = [
  { split: 214, threshold_db: -16, ratio: 1.6, attack: 30, release: 250 },
  { split: 2230, threshold_db: -18.5, ratio: 2.2, attack: 10, release: 80 },
  { split: 10000, threshold_db: -17, ratio: 1.55, attack: 12, release: 130 },
  { split: null, threshold_db: -15, ratio: 1.35, attack: 18, release: 180 },
] as const;

const f = (x: number, digits = 4) => Number(x.toFixed(digits)).toString();

/** The 5-band style EQ as wide bells (centre = geometric mean of the band, width in octaves). */
function styleEq(bands: ResolvedModules["eq"]["bands"], rate: number): string[] {
  const edges: [keyof typeof bands, number, number][] = [
    ["sub", 30, 90],
    ["bass", 90, 280],
    ["mids", 700, 2800],
    ["presence", 2800, 9000],
    ["air", 10000, Math.min(18000, 0.46 * rate)],
  ];
  return edges
    .filter(([k, lo, hi]) => bands[k] !== 0 && hi > lo)
    .map(
      ([k, lo, hi]) =>
        `equalizer=f=${f(Math.sqrt(lo * hi), 1)}:t=o:w=${f(Math.log2(hi / lo), 3)}:g=${f(bands[k], 2)}`,
    );
}

/** Target curve of the original (audio-dsp.md §5.1): 18 kHz low-pass, +0.35 dB presence, −0.25 dB mud. */
function targetCurve(rate: number): string[] {
  const lp = rate / 2 > 19000 ? ["lowpass=f=18000:p=2", "lowpass=f=18000:p=2"] : [];
  return [...lp, "equalizer=f=3000:t=o:w=0.9:g=0.35", "equalizer=f=300:t=o:w=0.9:g=-0.25"];
}

/** Crossover frequencies usable at `rate` (splits above 0.45·rate are dropped). */
export function crossoverSplits(rate: number): number[] {
  return BANDS.flatMap((b) => (b.split !== null && b.split < 0.45 * rate ? [b.split as number] : []));
}

/**
 * The crossover without its compressors: split and re-summed, a Linkwitz-Riley crossover is an allpass.
 * The dry path of a partial mix goes through it so dry and wet share its phase; without it a 50 % mix
 * cancels at each crossover frequency (an LR4 sum is −180° there).
 */
function crossoverAllpass(rate: number, inLabel: string, outLabel: string): string {
  const n = crossoverSplits(rate).length + 1;
  const labels = Array.from({ length: n }, (_, i) => `ap${i}`);
  return [
    `[${inLabel}]acrossover=split=${crossoverSplits(rate).join("|")}:order=4th${labels.map((l) => `[${l}]`).join("")}`,
    `${labels.map((l) => `[${l}]`).join("")}amix=inputs=${n}:normalize=0[${outLabel}]`,
  ].join(";");
}

/**
 * Samples afftdn (ffmpeg 5.1) delays its output by: half its 50 ms window, rounded to a multiple of 4
 * samples (measured: 1102 at 44.1 kHz, 1200 at 48 kHz, 550 at 22.05 kHz). Uncompensated, a denoised
 * master came out 25 ms late with its last 25 ms cut off.
 */
export function afftdnLatency(rate: number): number {
  return (Math.floor(Math.round(rate * 0.05) / 4) * 4) / 2;
}

/**
 * Band meters: `true` (every 16th frame), or the aselect condition picking the frames they see
 * (bandMeterFrames), so two processes over overlapping slices of a file meter each frame once.
 */
export type BandMeters = boolean | string;

/**
 * The frames the band meters see: every 16th of the file's (`offset`: frames before this process's
 * first, 100 ms each), within `window` (a condition on t, escaped for the graph) when given.
 */
export function bandMeterFrames(offset = 0, window = ""): string {
  const every = offset % 16 === 0 ? "not(mod(n\\,16))" : `not(mod(n+${offset % 16}\\,16))`;
  return window ? `${every}*${window}` : every;
}

/**
 * A real 4-band compressor: Linkwitz-Riley crossover, one acompressor per band, summed with
 * amix normalize=0 (the default divides by the input count). Nothing clips. `amount` scales
 * (ratio − 1). Splits above 0.45·rate are dropped for low-rate inputs.
 */
export function multiband(
  mb: { amount: number; threshold_offset_db: number; attack_scale: number },
  rate: number,
  inLabel: string,
  outLabel: string,
  meter: BandMeters = false,
): string {
  const splits = crossoverSplits(rate);
  const n = splits.length + 1;
  const labels = Array.from({ length: n }, (_, i) => `mb${i}`);
  const parts = [
    `[${inLabel}]acrossover=split=${splits.join("|")}:order=4th${labels.map((l) => `[${l}]`).join("")}`,
  ];
  for (let i = 0; i < n; i++) {
    const b = BANDS[i] ?? BANDS[3];
    const ratio = 1 + (b.ratio - 1) * mb.amount;
    const comp = `acompressor=threshold=${f(b.threshold_db + mb.threshold_offset_db, 2)}dB:ratio=${f(ratio, 3)}:attack=${f(b.attack * mb.attack_scale, 2)}:release=${b.release}:knee=2:detection=peak:makeup=1`;
    const l = labels[i] as string;
    if (!meter) {
      parts.push(`[${l}]${comp}[${l}c]`);
      continue;
    }
    // Band RMS before and after its compressor (volumedetect on side branches: it takes s16, so it
    // must never sit on the signal path); their difference is the band's mean gain reduction. Both
    // meters see the same every-16th frame (of 1024 samples), which keeps the mean difference at a
    // sixteenth of the cost (every 4th cost ≈ 0.3 CPU-s more per 3 min of stereo).
    const sample = `aselect=${typeof meter === "string" ? meter : bandMeterFrames()}`;
    parts.push(
      `[${l}]asplit=2[${l}x][${l}v]`,
      `[${l}v]${sample},volumedetect@b${i}i,anullsink`,
      `[${l}x]${comp},asplit=2[${l}c][${l}w]`,
      `[${l}w]${sample},volumedetect@b${i}o,anullsink`,
    );
  }
  parts.push(`${labels.map((l) => `[${l}c]`).join("")}amix=inputs=${n}:normalize=0[${outLabel}]`);
  return parts.join(";");
}

/**
 * The chain from `[in]` to `[out]`: format/rate/channels → gain staging → DC/rumble high-pass →
 * denoise → de-esser → target curve + style EQ → transient shaper → multiband → parallel compression → exciter →
 * M/S width. Each module appears only when enabled. With `mix` < 1 the gain-staged, high-passed
 * signal also takes a dry path (through the crossover's allpass when the multiband runs, so the
 * phases match) and is blended with the processed one: out = mix·wet + (1 − mix)·dry.
 */
export function chainGraph(
  m: ResolvedModules,
  ctx: ChainContext,
  inLabel: string,
  outLabel: string,
  mix = 1,
  meterBands: BandMeters = false,
): string {
  const base: string[] = [frames100ms(ctx.input_rate), "aformat=sample_fmts=flt"];
  if (ctx.channels > 2) base.push("aformat=channel_layouts=stereo");
  if (ctx.work_rate !== ctx.input_rate) {
    // 100 ms frames again at the work rate (soxr hands out frames of any size): the band meters'
    // every-16th frame is then the same frame of the file in one run or in a split one (chain-run.ts).
    base.push(`aresample=${ctx.work_rate}:resampler=soxr:precision=28`, frames100ms(ctx.work_rate));
  }
  base.push(`volume=${f(ctx.pre_gain_db, 3)}dB`);
  if (m.highpass.enabled) {
    // Two 2-pole sections = 24 dB/oct, −6 dB at the corner, like the original's filtfilt Butterworth.
    base.push(`highpass=f=${f(m.highpass.freq_hz, 1)}:p=2`, `highpass=f=${f(m.highpass.freq_hz, 1)}:p=2`);
  }
  // The reference match sits on the gain-staged signal, before the style chain (and on the dry path too):
  // the chain then works on material that already sounds like the reference.
  const parts: string[] = [];
  let source = inLabel;
  if (matchActive(ctx.match)) {
    parts.push(matchFragment(ctx.match, ctx.work_rate, ctx.channels >= 2, base, inLabel, "matched"));
    source = "matched";
    base.length = 0;
  }
  const head: string[] = [];
  if (m.denoise.enabled) {
    const lat = afftdnLatency(ctx.work_rate);
    // Pad, denoise, drop the delay: aligned and the same length as the input.
    head.push(
      `apad=pad_len=${lat}`,
      `afftdn=nr=${f(m.denoise.reduction_db, 2)}:nf=-60:tn=1`,
      `atrim=start_sample=${lat}`,
      "asetpts=PTS-STARTPTS",
    );
  }
  if (m.deesser.enabled && ctx.work_rate / 2 > 9000) {
    head.push(
      `adynamicequalizer=threshold=${f(m.deesser.threshold, 4)}:dfrequency=6708:dqfactor=1.68:tfrequency=6708:tqfactor=1.68:ratio=3:attack=4:release=85:range=9:mode=cut`,
    );
  }
  if (m.eq.enabled) head.push(...targetCurve(ctx.work_rate), ...styleEq(m.eq.bands, ctx.work_rate));

  const tail: string[] = [];
  if (m.parallel.enabled) {
    tail.push(`acompressor=threshold=-20dB:ratio=8:attack=5:release=60:knee=2.8:mix=${f(m.parallel.mix, 3)}`);
  }
  if (m.saturation.enabled) {
    tail.push(`aexciter=freq=6000:amount=${f(10 ** (m.saturation.amount_db / 20) - 1, 4)}:drive=8.5:blend=0`);
  }
  const stereo = ctx.channels >= 2;
  if (m.width.enabled && stereo) tail.push(`extrastereo=m=${f(m.width.width, 3)}:c=0`);

  const split = mix < 1;
  const wetOut = split ? "wet" : outLabel;
  // Linear runs of filters joined by the graph fragments (transient shaper, multiband) between them.
  let label = split ? "wetin" : source;
  let run = split ? head : [...base, ...head];
  const fragment = (make: (from: string, to: string) => string, name: string) => {
    parts.push(`[${label}]${run.join(",") || "anull"}[${name}in]`, make(`${name}in`, `${name}out`));
    label = `${name}out`;
    run = [];
  };
  if (m.transient.enabled) {
    const ch = ctx.channels === 1 ? 1 : 2;
    fragment((a, b) => transientShaper(m.transient, ch, a, b), "ts");
  }
  if (m.multiband.enabled) fragment((a, b) => multiband(m.multiband, ctx.work_rate, a, b, meterBands), "mb");
  parts.push(`[${label}]${[...run, ...tail].join(",") || "anull"}[${wetOut}]`);
  if (!split) return parts.join(";");
  const matched = source === inLabel ? [] : [parts.shift() as string];
  const wet = parts.join(";");
  const dry = m.multiband.enabled ? [crossoverAllpass(ctx.work_rate, "dryin", "dry")] : ["[dryin]anull[dry]"];
  return [
    ...matched,
    `[${source}]${base.join(",") || "anull"},asplit=2[wetin][dryin]`,
    wet,
    ...dry,
    `[wet][dry]amix=inputs=2:weights='${f(mix, 4)} ${f(1 - mix, 4)}':normalize=0[${outLabel}]`,
  ].join(";");
}
