// The chain pass (plan.ts planChainPass): input → chain → the float intermediate, with the limiter model
// folded from the file as ffmpeg writes it (wav-follow.ts). With two lanes and a long input the pass runs
// as two ffmpeg processes over the two halves of the timeline, one per core: the second starts
// SPLIT_PREROLL_S early so every filter's state (compressor envelopes, IIR memory) has settled by the
// cut, drops what it made of that pre-roll, and its frames are appended to the first half's file. The
// result is the same intermediate (test/integration/audio/chain-split.test.ts), the chain's wall time
// about halved: ffmpeg runs one filter graph on one thread, and threading it inside cost more than it
// saved (ffmpeg.ts).

import { open, rm } from "node:fs/promises";
import { pcmBudget } from "./budget";
import { allOrStop } from "./concurrent";
import { mergeVolumedetect, parseVolumedetect, type VolumeStats } from "./ebur128-parse";
import { runFfmpeg } from "./ffmpeg";
import type { Flow } from "./flow";
import { floatIntermediate, resizedHeader } from "./intermediate";
import { type LimitModel, LimitModelFold } from "./limit-model";
import { type ChainContext, type ChainSegment, planChainPass } from "./plan";
import type { ProbeInfo } from "./probe";
import type { ResolvedSettings } from "./settings";
import { followWav, WavFollower } from "./wav-follow";
import { readWavHeader } from "./wav-read";

/**
 * Seconds the second half's process reads before its cut. The longest memory in a split chain is a
 * compressor's 250 ms release: after 5 s its envelope's distance from the full run's is e^−20 of where it
 * started, far below the float intermediate's resolution.
 */
export const SPLIT_PREROLL_S = 5;
/** Shortest input worth two processes: below it their start-up and the pre-roll eat the gain. */
export const SPLIT_MIN_S = 60;
/** Largest intermediate split and joined: the WAV's 32-bit sizes, with room. */
const SPLIT_MAX_BYTES = 2 ** 31;

export type ChainRun = {
  /** The band meters' reports (volumedetect@b<i>i / b<i>o), one per name over the whole file. */
  bands: Map<string, VolumeStats>;
  model: LimitModel;
};

/**
 * The two halves of the pass, or null for one process: one lane, a short input, or a module whose state
 * reaches further back than the pre-roll (afftdn tracks the noise floor over the whole file).
 */
export function chainSegments(
  r: ResolvedSettings,
  ctx: ChainContext,
  durationS: number,
  lanes: 1 | 2,
): [ChainSegment, ChainSegment] | null {
  const bytes = durationS * ctx.work_rate * Math.min(ctx.channels, 2) * 4;
  if (lanes < 2 || durationS < SPLIT_MIN_S || r.modules.denoise.enabled || bytes > SPLIT_MAX_BYTES)
    return null;
  // The second process also decodes (and drops) what comes before its pre-roll: cut a little past the
  // middle of the work so both end together.
  const cut = Math.round((durationS + SPLIT_PREROLL_S) / 2);
  return [
    { from_s: 0, to_s: cut, preroll_s: 0 },
    { from_s: cut, to_s: null, preroll_s: SPLIT_PREROLL_S },
  ];
}

/** Runs the chain pass into `intermediate` and folds the limiter model from what it wrote. */
export async function runChain(
  flow: Flow,
  r: ResolvedSettings,
  ctx: ChainContext,
  input: string,
  intermediate: string,
  info: ProbeInfo,
  signal?: AbortSignal,
): Promise<ChainRun> {
  const channels = Math.min(info.channels, 2);
  const p = flow.pass("chain", 0.1, 0.5, info.duration_s);
  const stop = signal ?? p.signal;
  const fold = new LimitModelFold(channels, ctx.work_rate);
  const push = (x: Float32Array, n: number) => fold.push(x, n);
  // Bounded by what the probe claimed, at the chain's rate and layout (each half is shorter than that).
  const budget = pcmBudget(info, ctx.work_rate, channels, { file: true });
  const run = (
    out: string,
    s: AbortSignal | undefined,
    onProgress: (x: number) => void,
    seg?: ChainSegment,
  ) =>
    runFfmpeg(planChainPass(r, ctx, input, out, seg), {
      ...p,
      signal: s,
      onProgress,
      durationS: seg ? (seg.to_s ?? info.duration_s) - seg.from_s : info.duration_s,
      outputs: [out],
      budget,
    });
  const segments = chainSegments(r, ctx, info.duration_s, flow.lanes);
  if (!segments) {
    // One lane: Bun folding beside ffmpeg would take a second core, so the file is read after the run.
    const { stderr } = await followWav(
      intermediate,
      push,
      (poke) =>
        run(intermediate, stop, (x) => {
          p.onProgress(x);
          poke();
        }),
      { live: flow.lanes > 1, signal: stop, check: floatIntermediate },
    );
    return { bands: parseVolumedetect(stderr), model: fold.model() };
  }
  const first = new WavFollower(intermediate, push, { signal: stop, check: floatIntermediate });
  const [a, b] = segments;
  const second = `${intermediate.replace(/\.wav$/, "")}-2.wav`;
  const share = (a.to_s ?? 0) / info.duration_s;
  const done = [0, 0];
  const progress = (i: 0 | 1, x: number) => {
    done[i] = x;
    p.onProgress(share * (done[0] ?? 0) + (1 - share) * (done[1] ?? 0));
  };
  try {
    const [one, two] = await allOrStop(stop, [
      (s) =>
        run(
          intermediate,
          s,
          (x) => {
            progress(0, x);
            first.poke();
          },
          a,
        ),
      (s) => run(second, s, (x) => progress(1, x), b),
    ] as const);
    await first.finish();
    // The second half folds after the first: the model reads the file's frames in order.
    await new WavFollower(second, push, { signal: stop, check: floatIntermediate }).finish();
    await appendFrames(intermediate, second);
    return {
      bands: mergeVolumedetect(parseVolumedetect(one.stderr), parseVolumedetect(two.stderr)),
      model: fold.model(),
    };
  } finally {
    await rm(second, { force: true });
  }
}

/** Appends the frames of WAV `from` to WAV `to` (same format; `to`'s data chunk ends it) and fixes its header. */
async function appendFrames(to: string, from: string): Promise<void> {
  const header = async (path: string) => {
    const { head, layout: w } = await readWavHeader(path);
    if (!w) throw new Error(`intermediate: no data chunk in ${path}`);
    return { head, w };
  };
  const [dst, src] = [await header(to), await header(from)];
  if (src.w.block_align !== dst.w.block_align || src.w.rate !== dst.w.rate)
    throw new Error("intermediate: halves of different formats");
  const out = await open(to, "r+");
  const inp = await open(from, "r");
  try {
    // Anything after the data chunk (ffmpeg writes none) would be overwritten: the frames go right after it.
    let at = dst.w.dataOffset + dst.w.dataBytes;
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let pos = src.w.dataOffset, end = src.w.dataOffset + src.w.dataBytes; pos < end; ) {
      const { bytesRead } = await inp.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) throw new Error("intermediate: second half shorter than its header");
      await out.write(buf, 0, bytesRead, at);
      pos += bytesRead;
      at += bytesRead;
    }
    await out.truncate(at);
    const field = Buffer.alloc(4);
    for (const [offset, value] of resizedHeader(dst.head, dst.w, dst.w.dataBytes + src.w.dataBytes)) {
      field.writeUInt32LE(value, 0);
      await out.write(field, 0, 4, offset);
    }
  } finally {
    await Promise.all([out.close(), inp.close()]);
  }
}
