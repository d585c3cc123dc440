// preview(): the master flow on a 30 s excerpt (the loudest section by default). The chain and the
// gain search run over the whole file in ONE pass (no full-length intermediate on disk, no separate
// search or verify of the full file), so the excerpt gets the gains the full master would use.

import { join } from "node:path";
import { AppError } from "../errors";
import { type Analysis, analyze } from "./analyze";
import { parseEburSummaries } from "./ebur128-parse";
import { runFfmpeg } from "./ffmpeg";
import { commit, Flow, type FlowOptions, guardInput, partialPath, removeQuietly } from "./flow";
import { loudestWindow, solveGain } from "./gain";
import { type MasterReport, master, renderAndVerify } from "./master";
import { PREVIEW_OFFSETS_DB, planPreviewPass, preGainDb, REFERENCE_LUFS, workRate } from "./plan";
import { probe } from "./probe";
import { type MasterSettings, resolveSettings } from "./settings";

export type PreviewOptions = FlowOptions & {
  /** Excerpt start in seconds (default: the loudest section). */
  startS?: number;
  /** Excerpt length (default 30 s). */
  durationS?: number;
};

export type PreviewReport = Omit<MasterReport, "after" | "within_spec"> & {
  /** Measured on the written excerpt; its loudness differs from the target by design (section vs whole). */
  after: Analysis;
  excerpt: { start_s: number; duration_s: number };
};

export async function preview(
  input: string,
  output: string,
  settings: MasterSettings,
  opts: PreviewOptions = {},
): Promise<PreviewReport> {
  const r = resolveSettings(settings);
  const length = opts.durationS ?? 30;
  const flow = new Flow(opts);
  const info = await flow.time("analyze", () => probe(input, { signal: opts.signal }));
  if (info.duration_s <= length + 1) {
    // Short file: the preview IS the master.
    const rep = await master(input, output, settings, opts);
    return { ...rep, excerpt: { start_s: 0, duration_s: rep.duration_s } };
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
  const predicted = r.target_lufs - REFERENCE_LUFS;
  const gains = PREVIEW_OFFSETS_DB.map((o) => predicted + o);
  const work = await flow.workDir();
  const excerpt = join(work, "excerpt.wav");
  const partial = partialPath(output);
  try {
    const pass = await flow.time("chain", () =>
      runFfmpeg(planPreviewPass(r, ctx, input, excerpt, window, gains), {
        ...flow.pass("chain", 0.15, 0.8, before.duration_s),
        outputs: [excerpt],
      }),
    );
    const sums = parseEburSummaries(pass.stderr);
    const pre = sums.get("pre");
    if (!pre || !(pre.integrated_lufs > -70)) throw new AppError("audio_silent", 422);
    const gain = solveGain(
      gains.map((g, i) => ({ gain_db: g, lufs: sums.get(`c${i}`)?.integrated_lufs ?? Number.NaN })),
      r.target_lufs,
    );
    const job = { intermediate: excerpt, input, probe: info, rate, duration_s: length };
    const after = await renderAndVerify(flow, r, job, gain, r.render_ceiling_dbtp, partial, [0.8, 1]);
    await commit(partial, output);
    flow.report(1, "done");
    return {
      before,
      after,
      excerpt: window,
      style: r.style.id as MasterReport["style"],
      preset: (r.preset?.id ?? null) as MasterReport["preset"],
      target_lufs: r.target_lufs,
      ceiling_dbtp: r.ceiling_dbtp,
      render_ceiling_dbtp: r.render_ceiling_dbtp,
      format: r.format.id as MasterReport["format"],
      bitrate: r.bitrate,
      sample_rate: rate,
      pre_gain_db: Math.round(ctx.pre_gain_db * 100) / 100,
      final_gain_db: Math.round(gain * 100) / 100,
      attempts: 1,
      duration_s: before.duration_s,
      timings_ms: flow.timings_ms,
      realtime_factor: Math.round((before.duration_s / flow.elapsedS()) * 10) / 10,
    };
  } finally {
    await removeQuietly(work, partial);
  }
}
