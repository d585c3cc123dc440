// The verify half of the mastering flow (audio-dsp.md §5.3 step 4), shared by master, preview and a
// re-encode: render the final file from the chain's intermediate, measure the WRITTEN file (lossless: the
// very samples written, read as the render runs; lossy: decoded again), correct once if it missed, and the
// report of what was delivered. Nothing here trusts a prediction: every figure is of the output.

import { VERSION as APP_VERSION } from "../version";
import { type Analysis, analyze, finite, jsMeter } from "./analyze";
import type { PresetId } from "./catalogue/presets";
import type { StyleId } from "./catalogue/styles";
import { type ChainMeasurement, type WhatChanged, whatChanged } from "./changes";
import { runFfmpeg } from "./ffmpeg";
import type { Flow } from "./flow";
import type { FormatId } from "./formats";
import { planFinalPass, tagArgs } from "./plan";
import { type AutoChoice, autoMessage } from "./plan-auto";
import { foldedPlots, type PassPlots, plotFold } from "./plots-run";
import { type ProbeInfo, probe } from "./probe";
import { followedRender, meteredRender } from "./render-meter";
import type { Intensity, ResolvedSettings } from "./settings";
import { wavFacts } from "./wav-read";

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
  info: {
    intermediate: string;
    input: string;
    probe: ProbeInfo;
    rate: number;
    duration_s: number;
    /** Where the written file's plot data goes, folded by its verify pass (plots-run.ts PassPlots). */
    plots?: PassPlots;
  },
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
    const plots = plotFold(info.plots, shape);
    const run = {
      signal: p.signal,
      timeoutMs: p.timeoutMs,
      onProgress: p.onProgress,
      lanes: flow.lanes,
      plots,
    };
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
    if (info.plots) info.plots.after = foldedPlots(plots);
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
  return flow.time("verify", async () => {
    // The written file as its decode will be: probed here, so its plots are laid out on its own length.
    const written = await probe(partial, { signal: p.signal });
    const plots = plotFold(info.plots, written);
    const { signal, timeoutMs, onProgress } = p;
    const after = await analyze(partial, { info: written, signal, timeoutMs, onProgress, plots });
    if (info.plots) info.plots.after = foldedPlots(plots);
    return after;
  });
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
