// Folds the samples of a WAV that an ffmpeg run is still writing (the chain's float intermediate, a
// lossless render's delivered file) as they land on disk, instead of a second copy of the same samples
// on a pipe or a FIFO: Bun pays ≈ 0.15–0.2 CPU-s per 3 min of stereo to read a pipe in its small
// chunks, ≈ 0.03 to read the same bytes from the page cache. The run's `-progress` lines (about two a
// second) say when to look: each poke() reads every whole frame the file holds so far; finish(), once the
// run has exited, reads the rest up to the data size the muxer patched into the header.
// ffmpeg's WAV muxer writes the header first with an open-ended data size (0xFFFFFFFF: to the end of the
// file) and only rewrites those header bytes at the end, so whatever it has written before is final.

import { stat } from "node:fs/promises";
import { AppError } from "../errors";
import { floatIntermediate, parseWavHeader, type WavLayout } from "./intermediate";
import { type LimitModel, LimitModelFold } from "./limit-model";
import { convertPcm, wavPcmReadable } from "./wav-read";

/** Bytes read per step: few enough awaits to cost nothing, small enough to keep memory flat. */
const SLICE_BYTES = 4 << 20;

export class WavFollower {
  private layout: WavLayout | null = null;
  /** File offset of the next frame to fold. */
  private at = 0;
  private frames = 0;
  private pending: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  private buf = new Float32Array(0);

  /** `check` may refuse the layout (throw) before any sample is folded. */
  constructor(
    private readonly path: string,
    private readonly onFrames: (x: Float32Array, n: number) => void,
    private readonly opts: { signal?: AbortSignal; check?: (w: WavLayout) => void } = {},
  ) {}

  /** Folds what the file holds now (queued behind an earlier poke still reading). Never throws. */
  poke(): void {
    if (this.failed) return;
    this.pending = this.pending
      .then(() => this.read(false))
      .catch((err: unknown) => {
        this.failed ??= err;
      });
  }

  /** After the writer exited: folds the rest; returns the frames folded. Throws what a poke hit. */
  async finish(): Promise<number> {
    await this.pending;
    if (this.failed) throw this.failed;
    await this.read(true);
    return this.frames;
  }

  private async read(final: boolean): Promise<void> {
    if (this.opts.signal?.aborted) throw new AppError("cancelled", 409);
    const file = Bun.file(this.path);
    const size = (await stat(this.path).catch(() => null))?.size ?? 0;
    // The final header carries the real data size (a trailing chunk, if any, is not samples).
    if (!this.layout || final) {
      const w = parseWavHeader(new Uint8Array(await file.slice(0, 1 << 16).arrayBuffer()), size);
      if (!w) {
        if (final) throw new Error(`wav-follow: no data chunk in ${this.path}`);
        return;
      }
      if (!wavPcmReadable(w)) throw new Error(`wav-follow: format ${w.format}/${w.bits} bits`);
      if (!this.layout) {
        this.opts.check?.(w);
        this.at = w.dataOffset;
      }
      this.layout = w;
    }
    const w = this.layout;
    const end = final ? w.dataOffset + w.dataBytes : size;
    const whole = end - ((end - this.at) % w.block_align);
    const step = SLICE_BYTES - (SLICE_BYTES % w.block_align);
    while (this.at < whole) {
      if (this.opts.signal?.aborted) throw new AppError("cancelled", 409);
      const from = this.at;
      const to = Math.min(whole, from + step);
      const got = await file.slice(from, to).arrayBuffer();
      // Only whole frames count, and only what the read returned (a short read is picked up again later).
      const usable = got.byteLength - (got.byteLength % w.block_align);
      if (usable === 0) break;
      const raw = usable === got.byteLength ? got : got.slice(0, usable);
      const n = (raw.byteLength / w.block_align) * w.channels;
      if (w.format === 3 && w.bits === 32) {
        // A fresh ArrayBuffer starts aligned: the float samples as they are (little-endian like the file).
        this.onFrames(new Float32Array(raw), n);
      } else {
        if (this.buf.length < n) this.buf = new Float32Array(n);
        convertPcm(new Uint8Array(raw), w, this.buf, n);
        this.onFrames(this.buf, n);
      }
      this.at = from + usable;
      this.frames += n / w.channels;
      if (this.at < to && !final) break;
    }
  }
}

/**
 * Runs `run` (an ffmpeg pass writing `path`, given an onProgress to call on every progress line) and
 * folds the file's frames into `onFrames` while it runs (`live`) or, with one lane, only after it exited.
 */
export async function followWav<T>(
  path: string,
  onFrames: (x: Float32Array, n: number) => void,
  run: (poke: () => void) => Promise<T>,
  o: { live: boolean; signal?: AbortSignal; check?: (w: WavLayout) => void },
): Promise<T> {
  const f = new WavFollower(path, onFrames, { signal: o.signal, check: o.check });
  const result = await run(o.live ? () => f.poke() : () => undefined);
  await f.finish();
  return result;
}

/** Folds a finished intermediate into a LimitModel in 4 MiB slices (the chain pass folds it as it is written: master.ts). */
export async function readLimitModel(path: string, signal?: AbortSignal): Promise<LimitModel> {
  let fold: LimitModelFold | null = null;
  const f = new WavFollower(path, (x, n) => fold?.push(x, n), {
    signal,
    check: (w) => {
      floatIntermediate(w);
      fold = new LimitModelFold(w.channels, w.rate);
    },
  });
  await f.finish();
  if (!fold) throw new Error("intermediate: no data chunk");
  return (fold as LimitModelFold).model();
}
