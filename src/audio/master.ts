// The closed-loop mastering flow (audio-dsp.md §5.3): analyse → render the chain once to a float
// intermediate → measure candidate gains in one pass → final render with the 4× true-peak limiter →
// measure the WRITTEN (for lossy: decoded) file → correct once if it missed. The render, verify and
// correct step and the report live in verify.ts (preview and re-encode use them too).

import { join } from "node:path";
import { AppError } from "../errors";
import type { AlbumChange } from "./album";
import { type Analysis, analyze } from "./analyze";
import { resolveAuto } from "./auto";
import { type ChainRun, runChain } from "./chain-run";
import { referenceChange, referenceMessages } from "./changes-match";
import { allOrStop, SEARCH_PROCESSES } from "./concurrent";
import {
  commit,
  Flow,
  type FlowOptions,
  guardInput,
  MIN_DURATION_S,
  partialPath,
  removeQuietly,
} from "./flow";
import type { LimitModel } from "./limit-model";
import { type MatchState, matchedSettings, prepareMatch, refineAfterChain } from "./master-match";
import { measureForMatch } from "./match-measure";
import { LIMITER_MARGIN_DB, preGainDb, REFERENCE_LUFS, workRate } from "./plan";
import { foldedPlots, type PassPlots, plotFold } from "./plots-run";
import { probe } from "./probe";
import { quickMeter } from "./quick-loudness";
import { type MasterSettings, resolveSettings } from "./settings";
import {
  LUFS_TOLERANCE,
  type MasterReport,
  renderVerifyCorrect,
  reportOf,
  VERSION,
  withinSpec,
} from "./verify";

export { quickLoudness } from "./quick-loudness";
export { LUFS_TOLERANCE, type MasterReport, VERSION };

export type MasterOptions = FlowOptions & {
  /** Reference tracks to match (up to 3; settings.reference says what to match and their weights). */
  references?: readonly string[];
  /**
   * An album track (album.ts): the album's shared gain staging and this track's own loudness target
   * (the album target minus how far it sits below the loudest track) replace the per-file ones.
   */
  album?: AlbumChange;
  /** Filled with the input's probe and the plot data its passes folded (plots-run.ts PassPlots). */
  plots?: PassPlots;
};

/** Allowance for true peak above the sample peak the chain pass meters (dB). */
const TP_ALLOWANCE_DB = 1;

/**
 * How far the quick staging value may sit from the analysis's I before the chain is re-run at the
 * analysis's staging. Both use ebur128's arithmetic on the same samples (quick-loudness.ts), so they agree;
 * should a decoder ever hand over different samples, a staging 0.1 dB off moves the compressor thresholds
 * by 0.1 dB, far inside their 2 dB knee (the final gain is measured after the chain anyway).
 */
const STAGING_TOLERANCE_LU = 0.15;

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
  if (opts.plots) opts.plots.input = info;
  // The input's plot data from the passes below that read it anyway (its short-term timeline from
  // whichever pass K-weights it), instead of a decode of its own after the master.
  const inputPlots = plotFold(opts.plots, info);
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
          quickMeter(input, info, flow.pass("analyze", 0, 0.02, info.duration_s), inputPlots),
        )
      : null;
  const quickI = quick?.lufs ?? null;
  const fullAnalysis = () =>
    flow.time("analyze", async () => {
      const p = flow.pass("analyze", 0, 0.1, info.duration_s);
      const { signal, timeoutMs, onProgress } = p;
      const a = await analyze(input, {
        info,
        signal,
        timeoutMs,
        onProgress,
        loudness: quick?.meter,
        plots: inputPlots,
      });
      if (opts.plots) opts.plots.before = foldedPlots(inputPlots);
      return a;
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
    // The limiter model (L_pre, its sample peak, later the gain) folds the intermediate as the chain
    // writes it (chain-run.ts), so nothing is left to read after the chain.
    const chainPass = (signal?: AbortSignal) =>
      flow.time("chain", () => runChain(flow, r, ctx, input, intermediate, info, signal));
    const measureChain = (c: { model: LimitModel }) =>
      flow.time("search", async () => {
        flow.report(0.5, "search");
        return c.model;
      });
    let before: Analysis;
    let chain: ChainRun;
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
    const job = { intermediate, input, probe: info, rate, duration_s: before.duration_s, plots: opts.plots };
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
      chain: { pre, bands: chain.bands, rate },
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
