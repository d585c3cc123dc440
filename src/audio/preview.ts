// preview(): the master flow on a 30 s excerpt (the loudest section by default), with the gain the
// full master would use. Only the input analysis reads the whole file; the chain runs over the
// excerpt plus a few seconds of pre-roll. Whole-file numbers are estimated: post-chain loudness =
// I_in + pre_gain + (the chain's loudness change measured on the excerpt), and the limiter's
// loudness cost per candidate gain is the excerpt's (the loudest section dominates the integrated
// loudness). The written excerpt is verified against the loudness the full master would have there.

import { join } from "node:path";
import { AppError } from "../errors";
import { type Analysis, analyze } from "./analyze";
import { resolveAuto } from "./auto";
import { pcmBudget } from "./budget";
import type { WhatChanged } from "./changes";
import { parseEburSummaries } from "./ebur128-parse";
import { runFfmpeg } from "./ffmpeg";
import { commit, Flow, type FlowOptions, guardInput, partialPath, removeQuietly } from "./flow";
import { type GainPoint, loudestWindow, solveGain } from "./gain";
import { master } from "./master";
import { PREVIEW_PREROLL_S, planPreviewPass, preGainDb, SEARCH_OFFSETS_DB, workRate } from "./plan";
import { probe } from "./probe";
import { type MasterSettings, resolveSettings } from "./settings";
import { type MasterReport, renderVerifyCorrect, reportOf } from "./verify";

export type PreviewOptions = FlowOptions & {
  /** Excerpt start in seconds (default: the loudest section). */
  startS?: number;
  /** Excerpt length (default 30 s). */
  durationS?: number;
};

export type PreviewReport = Omit<MasterReport, "after" | "within_spec"> & {
  /** Measured on the written excerpt; its loudness differs from the target by design (section vs whole). */
  after: Analysis & { changes: WhatChanged };
  excerpt: { start_s: number; duration_s: number };
  /** Loudness the full master is estimated to have over the excerpt (the written file is checked against it). */
  expected_lufs: number;
  /** 1, or 2 when the first render missed the expected loudness or the ceiling and was corrected. */
  attempts: number;
};

/** Default excerpt length, seconds. */
export const PREVIEW_S = 30;

export async function preview(
  input: string,
  output: string,
  settings: MasterSettings,
  opts: PreviewOptions = {},
): Promise<PreviewReport> {
  const length = opts.durationS ?? PREVIEW_S;
  const flow = new Flow(opts);
  const auto = await resolveAuto(flow, input, settings);
  settings = auto.settings;
  const r = resolveSettings(settings);
  const info = await flow.time("analyze", () => probe(input, { signal: opts.signal }));
  if (info.duration_s <= length + 1) {
    // Short file: the preview IS the master.
    const rep = await master(input, output, settings, opts);
    return { ...rep, excerpt: { start_s: 0, duration_s: rep.duration_s }, expected_lufs: rep.target_lufs };
  }
  const before = await flow.time("analyze", () => {
    const p = flow.pass("analyze", 0, 0.15, info.duration_s);
    return analyze(input, { info, signal: p.signal, timeoutMs: p.timeoutMs, onProgress: p.onProgress });
  });
  guardInput(before);
  const start = Math.max(
    0,
    Math.min(
      opts.startS ?? loudestWindow(before.timeline.momentary_lufs, length, before.duration_s),
      before.duration_s - length,
    ),
  );
  const window = { start_s: start, duration_s: length };
  const rate = workRate(r, before.sample_rate);
  const ctx = {
    input_rate: before.sample_rate,
    work_rate: rate,
    channels: before.channels,
    pre_gain_db: preGainDb(before.integrated_lufs as number),
  };
  const work = await flow.workDir();
  const excerpt = join(work, "excerpt.wav");
  const partial = partialPath(output);
  try {
    // The candidate grid sits above the linear gain, which needs the excerpt's own numbers: estimate
    // it from the analysis first (chain assumed loudness-neutral), then re-anchor after the pass.
    const guess = r.target_lufs - (before.integrated_lufs as number) - ctx.pre_gain_db;
    const gains = SEARCH_OFFSETS_DB.map((o) => guess + o - 2);
    const pass = await flow.time("chain", () =>
      runFfmpeg(planPreviewPass(r, ctx, input, excerpt, window, gains), {
        ...flow.pass("chain", 0.15, 0.8, length),
        outputs: [excerpt],
        budget: pcmBudget({ duration_s: length + PREVIEW_PREROLL_S }, rate, Math.min(before.channels, 2), {
          file: true,
        }),
      }),
    );
    const sums = parseEburSummaries(pass.stderr);
    const pre = sums.get("pre");
    const inX = sums.get("in");
    if (!pre || !(pre.integrated_lufs > -70) || !inX || !(inX.integrated_lufs > -70)) {
      throw new AppError("audio_silent", 422);
    }
    // Whole-file post-chain loudness: I_in + pre_gain + (L_pre,x − (L_in,x + pre_gain)).
    const wholePre = (before.integrated_lufs as number) + pre.integrated_lufs - inX.integrated_lufs;
    // The excerpt's loudness minus the whole file's, kept through the limiter.
    const offset = pre.integrated_lufs - wholePre;
    const points: GainPoint[] = gains.map((g, i) => ({
      gain_db: g,
      lufs: (sums.get(`c${i}`)?.integrated_lufs ?? Number.NaN) - offset,
    }));
    // The correction in renderVerifyCorrect aims at the expected excerpt loudness, not the target.
    const gain = solveGain(points, r.target_lufs);
    const expected = r.target_lufs + offset;
    const job = { intermediate: excerpt, input, probe: info, rate, duration_s: length };
    const done = await renderVerifyCorrect(flow, r, job, {
      gain,
      expected,
      slope: 1.2,
      partial,
      stages: [
        [0.8, 0.95],
        [0.95, 1],
      ],
    });
    await commit(partial, output);
    flow.report(1, "done");
    return {
      // The preview pass does not meter bands; the limiter numbers are the excerpt's.
      ...reportOf(flow, r, {
        ...done,
        before,
        rate,
        pre_gain_db: ctx.pre_gain_db,
        chain: { pre, bands: null, rate },
        auto: auto.choice,
      }),
      excerpt: window,
      expected_lufs: Math.round(expected * 100) / 100,
    };
  } finally {
    await removeQuietly(work, partial);
  }
}
