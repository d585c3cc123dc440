// The closed-loop mastering flow (audio-dsp.md §5.3): analyse → render the chain once to a float
// intermediate → measure candidate gains in one pass → final render with the 4× true-peak limiter →
// measure the WRITTEN (for lossy: decoded) file → correct once if it missed.

import { join } from "node:path";
import { AppError } from "../errors";
import { VERSION as APP_VERSION } from "../version";
import type { AlbumChange } from "./album";
import { type Analysis, analyze, finite, jsMeter } from "./analyze";
import { resolveAuto } from "./auto";
import { pcmBudget } from "./budget";
import type { PresetId } from "./catalogue/presets";
import type { StyleId } from "./catalogue/styles";
import { type ChainMeasurement, type WhatChanged, whatChanged } from "./changes";
import { referenceChange, referenceMessages } from "./changes-match";
import { allOrStop, SEARCH_PROCESSES } from "./concurrent";
import { parseVolumedetect } from "./ebur128-parse";
import { runFfmpeg } from "./ffmpeg";
import {
  commit,
  Flow,
  type FlowOptions,
  guardInput,
  MIN_DURATION_S,
  partialPath,
  removeQuietly,
} from "./flow";
import type { FormatId } from "./formats";
import { floatIntermediate } from "./intermediate";
import { type LimitModel, LimitModelFold } from "./limit-model";
import { type MatchState, matchedSettings, prepareMatch, refineAfterChain } from "./master-match";
import { measureForMatch } from "./match-measure";
import {
  LIMITER_MARGIN_DB,
  planChainPass,
  planFinalPass,
  preGainDb,
  REFERENCE_LUFS,
  tagArgs,
  workRate,
} from "./plan";
import { type AutoChoice, autoMessage } from "./plan-auto";
import { type ProbeInfo, probe } from "./probe";
import { quickMeter } from "./quick-loudness";
import { followedRender, meteredRender } from "./render-meter";
import { type Intensity, type MasterSettings, type ResolvedSettings, resolveSettings } from "./settings";
import { followWav } from "./wav-follow";
import { wavFacts } from "./wav-read";

export type MasterOptions = FlowOptions & {
  /** Reference tracks to match (up to 3; settings.reference says what to match and their weights). */
  references?: readonly string[];
  /**
   * An album track (album.ts): the album's shared gain staging and this track's own loudness target
   * (the album target minus how far it sits below the loudest track) replace the per-file ones.
   */
  album?: AlbumChange;
};

export type MasterReport = {
  before: Analysis;
  /**
   * Measured on the written file (lossy formats: decoded) by a separate analysis call, with `changes`:
   * what each stage did (changes.ts). Stored as the job's analysis_after, so the bot and API get it too.
   */
  after: Analysis & { changes: WhatChanged };
  style: StyleId;
  preset: PresetId | null;
  target_lufs: number;
  ceiling_dbtp: number;
  /** The ceiling the limiter ran at (lower than ceiling_dbtp for lossy formats, or after a correction). */
  render_ceiling_dbtp: number;
  format: FormatId;
  bitrate: number | "v0" | null;
  intensity: Intensity;
  /** Wet share of the chain, percent. */
  mix_pct: number;
  sample_rate: number;
  pre_gain_db: number;
  final_gain_db: number;
  /** 1, or 2 when the first render missed and was corrected. */
  attempts: number;
  /** |I − target| ≤ 0.3 LU and TP ≤ ceiling on the written file. */
  within_spec: boolean;
  duration_s: number;
  timings_ms: Record<string, number>;
  realtime_factor: number;
};

/** Tolerances of the verify step. Correction triggers a bit inside the ±0.3 LU promise. */
export const LUFS_TOLERANCE = 0.3;
const CORRECT_ABOVE = 0.2;
/** Allowance for true peak above the sample peak the chain pass meters (dB). */
const TP_ALLOWANCE_DB = 1;

export { quickLoudness } from "./quick-loudness";

/**
 * How far the quick staging value may sit from the analysis's I before the chain is re-run at the
 * analysis's staging. Both use ebur128's arithmetic on the same samples (quick-loudness.ts), so they agree;
 * should a decoder ever hand over different samples, a staging 0.1 dB off moves the compressor thresholds
 * by 0.1 dB, far inside their 2 dB knee (the final gain is measured after the chain anyway).
 */
const STAGING_TOLERANCE_LU = 0.15;

/** Written into the "encoded by" tag. */
export const VERSION: string = APP_VERSION;

export function withinSpec(a: Analysis, target: number, ceiling: number): boolean {
  return (
    a.integrated_lufs !== null &&
    Math.abs(a.integrated_lufs - target) <= LUFS_TOLERANCE &&
    a.true_peak_dbtp !== null &&
    a.true_peak_dbtp <= ceiling
  );
}

/** Renders the final file from the intermediate into a temp name beside `output`; returns its analysis. */
export async function renderAndVerify(
  flow: Flow,
  r: ResolvedSettings,
  info: { intermediate: string; input: string; probe: ProbeInfo; rate: number; duration_s: number },
  gain: number,
  ceiling: number,
  partial: string,
  stage: [number, number],
): Promise<Analysis> {
  const [a, b] = stage;
  const plan = {
    intermediate: info.intermediate,
    output: partial,
    gain_db: gain,
    ceiling_db: ceiling,
    rate: info.rate,
    cover_from: info.probe.has_cover ? info.input : undefined,
    tags: tagArgs(info.probe.tags, r.tags, VERSION),
  };
  if (!r.format.lossy) {
    // Lossless: the JS meter (or a meter ffmpeg) reads the very samples the render writes (after dither)
    // through a FIFO, or with one lane from a raw side file afterwards: no second decode of the file.
    const p = flow.pass("render", a, b, info.duration_s);
    const channels = Math.min(info.probe.channels, 2);
    const shape = { ...info.probe, sample_rate: info.rate, channels, duration_s: info.duration_s };
    const run = { signal: p.signal, timeoutMs: p.timeoutMs, onProgress: p.onProgress, lanes: flow.lanes };
    // A WAV is measured from the written file itself as it grows; other containers through the FIFO.
    const measured = await flow.time("render", () =>
      r.format.muxer === "wav" && jsMeter(shape)
        ? followedRender(planFinalPass(r, plan), partial, shape, run)
        : meteredRender((fifo) => planFinalPass(r, { ...plan, meter: fifo }), shape, {
            ...run,
            outputs: [partial],
          }),
    );
    // Its container fields: from the header of a WAV we just wrote, else from probing it.
    const written = await flow.time(
      "verify",
      async () =>
        (r.format.muxer === "wav" ? await wavFacts(partial) : null) ??
        probe(partial, { signal: flow.signal }),
    );
    return {
      ...measured,
      duration_s: finite(written.duration_s, 3) ?? 0,
      sample_rate: written.sample_rate,
      channels: written.channels,
      codec: written.codec,
      bit_depth: written.bit_depth,
      format_name: written.format_name,
    };
  }
  const mid = a + (b - a) * 0.7;
  await flow.time("render", () =>
    runFfmpeg(planFinalPass(r, plan), {
      ...flow.pass("render", a, mid, info.duration_s),
      outputs: [partial],
    }),
  );
  const p = flow.pass("verify", mid, b, info.duration_s);
  return flow.time("verify", () =>
    analyze(partial, { signal: p.signal, timeoutMs: p.timeoutMs, onProgress: p.onProgress }),
  );
}

/** The report fields master and preview share, rounded as users see them. */
export function reportOf(
  flow: Flow,
  r: ResolvedSettings,
  p: {
    before: Analysis;
    after: Analysis;
    rate: number;
    pre_gain_db: number;
    gain: number;
    ceiling: number;
    attempts: number;
    chain: ChainMeasurement;
    auto?: AutoChoice | null;
  },
): Omit<MasterReport, "within_spec"> {
  const changes = whatChanged(r, p.chain, p);
  if (p.auto) {
    changes.auto_style = p.auto;
    changes.messages.unshift(autoMessage(p.auto));
  }
  return {
    before: p.before,
    after: { ...p.after, changes },
    style: r.style.id as StyleId,
    preset: (r.preset?.id ?? null) as PresetId | null,
    target_lufs: r.target_lufs,
    ceiling_dbtp: r.ceiling_dbtp,
    render_ceiling_dbtp: Math.round(p.ceiling * 100) / 100,
    format: r.format.id as FormatId,
    bitrate: r.bitrate,
    intensity: r.intensity,
    mix_pct: Math.round(r.mix * 1000) / 10,
    sample_rate: p.rate,
    pre_gain_db: Math.round(p.pre_gain_db * 100) / 100,
    final_gain_db: Math.round(p.gain * 100) / 100,
    attempts: p.attempts,
    duration_s: p.before.duration_s,
    timings_ms: flow.timings_ms,
    realtime_factor: Math.round((p.before.duration_s / flow.elapsedS()) * 10) / 10,
  };
}

/**
 * Final render → measure the written file → correct once (§5.3 step 4): if its loudness is more than
 * CORRECT_ABOVE from `expected` or its true peak is over the ceiling, move the gain by `slope` × the error
 * (limited material needs more than 1 dB of gain per LU) and lower the limiter by the excess.
 */
export async function renderVerifyCorrect(
  flow: Flow,
  r: ResolvedSettings,
  job: Parameters<typeof renderAndVerify>[2],
  o: {
    gain: number;
    expected: number;
    slope: number;
    partial: string;
    stages: [[number, number], [number, number]];
  },
): Promise<{ after: Analysis; gain: number; ceiling: number; attempts: number }> {
  let { gain } = o;
  let ceiling = r.render_ceiling_dbtp;
  let after = await renderAndVerify(flow, r, job, gain, ceiling, o.partial, o.stages[0]);
  const errI = after.integrated_lufs === null ? 0 : o.expected - after.integrated_lufs;
  const overTp = (after.true_peak_dbtp ?? -Infinity) - r.ceiling_dbtp;
  if (Math.abs(errI) <= CORRECT_ABOVE && overTp <= 0) return { after, gain, ceiling, attempts: 1 };
  gain += errI * o.slope;
  if (overTp > 0) ceiling -= overTp + 0.05;
  after = await renderAndVerify(flow, r, job, gain, ceiling, o.partial, o.stages[1]);
  return { after, gain, ceiling, attempts: 2 };
}

/**
 * Masters `input` into `output`. Writes a temp name in the output's directory and renames it; on any
 * failure or abort every intermediate and partial output is removed. Throws AppError (audio_silent,
 * audio_too_short, audio_unreadable, no_audio_stream, invalid_settings, ffmpeg_failed, cancelled, timeout).
 */
export async function master(
  input: string,
  output: string,
  settings: MasterSettings,
  opts: MasterOptions = {},
): Promise<MasterReport> {
  const flow = new Flow(opts);
  // style=auto: measured and chosen first; everything after sees a concrete style.
  const auto = await resolveAuto(flow, input, settings);
  settings = auto.settings;
  let r = resolveSettings(settings);
  // An album track aims at its own place under the album target (validated by the album plan, not here).
  if (opts.album) r = { ...r, target_lufs: opts.album.target_lufs };
  const references = opts.references ?? [];
  const info = await flow.time("analyze", () => probe(input, { signal: opts.signal }));
  // The chain only needs I_in (for gain staging): a quick loudness-only pass gives it, and the full
  // analysis then runs on the second core concurrently with the chain, taking I, LRA and the timeline
  // from the quick pass's meter (no second K-weighting of the input).
  const lanes = opts.processes ?? SEARCH_PROCESSES;
  // With one lane the full analysis simply runs first; the quick loudness pass only buys concurrency.
  const concurrent = lanes > 1 && info.duration_s >= MIN_DURATION_S && references.length === 0;
  // An album track is staged by the album's gain (measured once for the album): no quick pass of its own.
  const quick =
    concurrent && !opts.album
      ? await flow.time("analyze", () =>
          quickMeter(input, info, flow.pass("analyze", 0, 0.02, info.duration_s)),
        )
      : null;
  const quickI = quick?.lufs ?? null;
  const fullAnalysis = () =>
    flow.time("analyze", () => {
      const p = flow.pass("analyze", 0, 0.1, info.duration_s);
      const { signal, timeoutMs, onProgress } = p;
      return analyze(input, { info, signal, timeoutMs, onProgress, loudness: quick?.meter });
    });
  let early: Analysis | null = null;
  if (quickI === null && !(concurrent && opts.album)) {
    // One lane, or too short / silent / unmeasurable: the full analysis runs first (and guardInput
    // decides which error, if any).
    early = await fullAnalysis();
    guardInput(early);
  }
  let match: MatchState | null = null;
  if (references.length > 0) {
    match = await prepareMatch(flow, r, input, references, lanes, auto.measured);
    r = matchedSettings(r, match.plan, {
      target: settings.target_lufs !== undefined,
      amount: settings.modules?.multiband?.amount !== undefined,
    });
  }
  const staging = quickI ?? early?.integrated_lufs ?? REFERENCE_LUFS;
  const rate = workRate(r, info.sample_rate);
  const ctx = {
    input_rate: info.sample_rate,
    work_rate: rate,
    channels: info.channels,
    pre_gain_db: opts.album?.pre_gain_db ?? preGainDb(staging),
    match: match?.plan ?? null,
  };
  const work = await flow.workDir();
  const intermediate = join(work, "chain.wav");
  const partial = partialPath(output);
  try {
    const channels = Math.min(info.channels, 2);
    // The limiter model (L_pre, its sample peak, later the gain) folds the intermediate as the chain
    // writes it (wav-follow.ts), so nothing is left to read after the chain. With one lane Bun folding
    // beside ffmpeg would take a second core: the model reads the written file after (≈ 0.03 s per 3 min).
    const chainPass = (signal?: AbortSignal) =>
      flow.time("chain", async () => {
        const p = flow.pass("chain", 0.1, 0.5, info.duration_s);
        const fold = new LimitModelFold(channels, rate);
        const { stderr } = await followWav(
          intermediate,
          (x, n) => fold.push(x, n),
          (poke) =>
            runFfmpeg(planChainPass(r, ctx, input, intermediate), {
              ...p,
              signal: signal ?? p.signal,
              onProgress: (x) => {
                p.onProgress(x);
                poke();
              },
              outputs: [intermediate],
              // Bounded by what the probe claimed, at the chain's rate and layout.
              budget: pcmBudget(info, rate, channels, { file: true }),
            }),
          { live: flow.lanes > 1, signal: signal ?? p.signal, check: floatIntermediate },
        );
        return { stderr, model: fold.model() };
      });
    const measureChain = (c: { model: LimitModel }) =>
      flow.time("search", async () => {
        flow.report(0.5, "search");
        return c.model;
      });
    let before: Analysis;
    let chain: { stderr: string; model: LimitModel };
    if (early) {
      before = early;
      chain = await chainPass();
      const preLufs = match ? (await measureChain(chain)).loudness(0, null) : Number.NaN;
      const refined =
        match && preLufs > -70 ? await refineAfterChain(flow, r, match, intermediate, preLufs) : null;
      if (match && refined) {
        // The chain coloured the matched sound: once more with the measured difference corrected.
        match.plan = refined;
        match.passes = 2;
        ctx.match = refined;
        chain = await chainPass();
      }
    } else {
      [before, chain] = await allOrStop(flow.signal, [() => fullAnalysis(), (s) => chainPass(s)] as const);
      guardInput(before);
      const staged = before.integrated_lufs as number;
      if (Math.abs(staged - staging) > STAGING_TOLERANCE_LU && !opts.album) {
        // Never expected (both measure BS.1770 on the same samples); re-stage rather than trust a mismatch.
        ctx.pre_gain_db = preGainDb(staged);
        chain = await chainPass();
      }
    }
    const model = await measureChain(chain);
    const pre = {
      integrated_lufs: model.loudness(0, null),
      lra_lu: Number.NaN,
      sample_peak_dbfs: model.peakDb(),
      true_peak_dbfs: null,
    };
    if (!(pre.integrated_lufs > -70)) throw new AppError("audio_silent", 422);
    const linear = r.target_lufs - pre.integrated_lufs;
    let gain = linear;
    const peak = pre.sample_peak_dbfs ?? 0;
    // If the loudest peak stays well under the limiter, the limiter is idle and gain is exact. The
    // pre meter reads sample peaks; 1 dB covers the inter-sample overshoot of the band-limited chain.
    const idle = peak + TP_ALLOWANCE_DB + linear <= r.render_ceiling_dbtp - LIMITER_MARGIN_DB - 0.5;
    // How many dB more gain per dB of loudness the correction step applies (1 while the limiter idles).
    let correction = 1;
    if (!idle) {
      // The limiter's loudness cost, predicted by the model (limit-model.ts) instead of six limited
      // copies metered by ffmpeg; the verify step checks the written file.
      const solved = model.solve(
        r.target_lufs,
        r.render_ceiling_dbtp - LIMITER_MARGIN_DB,
        r.limiter_release_ms,
      );
      gain = solved.gain_db;
      correction = Math.min(3, Math.max(1, 1 / Math.max(1e-3, solved.slope)));
    }
    const job = { intermediate, input, probe: info, rate, duration_s: before.duration_s };
    const done = await renderVerifyCorrect(flow, r, job, {
      gain,
      expected: r.target_lufs,
      slope: correction,
      partial,
      stages: [
        [0.65, 0.9],
        [0.9, 1],
      ],
    });
    // The delivered file measured like the references, for the residuals the report states.
    const delivered = match
      ? await flow.time("reference", () => {
          const p = flow.pass("reference", 0.98, 0.99);
          return measureForMatch(partial, { signal: p.signal, timeoutMs: p.timeoutMs });
        })
      : null;
    await commit(partial, output);
    flow.report(1, "done");
    const report = reportOf(flow, r, {
      ...done,
      before,
      rate,
      pre_gain_db: ctx.pre_gain_db,
      chain: { pre, bands: parseVolumedetect(chain.stderr), rate },
      auto: auto.choice,
    });
    if (opts.album) {
      report.after.changes.album = opts.album;
      report.after.changes.messages.push({
        key: "audio_changed_album",
        params: { offset: opts.album.offset_lu.toFixed(1), pre: opts.album.pre_gain_db.toFixed(1) },
      });
    }
    if (match && delivered) {
      const ref = referenceChange({ ...match, output: delivered, target_lufs: r.target_lufs });
      const changes = report.after.changes;
      changes.reference = ref;
      changes.messages.splice(1, 0, ...referenceMessages(ref));
    }
    return { ...report, within_spec: withinSpec(done.after, r.target_lufs, r.ceiling_dbtp) };
  } finally {
    await removeQuietly(work, partial);
  }
}
