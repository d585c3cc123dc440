// Reads the samples of a PCM or float WAV straight into JS as interleaved float frames, slice by slice,
// converted exactly as ffmpeg converts them to `flt` (integer × 2^−(bits−1), rounded once to float), so a
// fold over them sees the samples an ffmpeg decode would have handed over. JS holds one slice at a time.

import { AppError } from "../errors";
import { parseWavHeader, type WavLayout } from "./intermediate";
import type { ProbeInfo } from "./probe";

/** Integer PCM of 8/16/24/32 bits or float of 32/64 bits, whole bytes, frames as wide as the header says. */
export function wavPcmReadable(w: WavLayout): boolean {
  const ints = w.format === 1 && [8, 16, 24, 32].includes(w.bits);
  const floats = w.format === 3 && (w.bits === 32 || w.bits === 64);
  return (ints || floats) && w.channels > 0 && w.block_align === (w.channels * w.bits) / 8;
}

/** Bytes read for a header: every chunk ffmpeg writes before the samples (fmt, fact, LIST) fits. */
const HEADER_BYTES = 1 << 16;

/**
 * The first bytes of the finished WAV at `path` and its layout (null when no data chunk is in them).
 * Throws when the file is not RIFF/WAVE.
 */
export async function readWavHeader(path: string): Promise<{ head: Uint8Array; layout: WavLayout | null }> {
  const file = Bun.file(path);
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  return { head, layout: parseWavHeader(head, file.size) };
}

/** Frames per slice: about 4 MiB of the file. */
const SLICE_FRAMES = 1 << 17;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * 24-bit samples four at a time from three aligned 32-bit words (one load per 4 bytes instead of one per
 * byte): each sample lands in the top 24 bits of an int32, × 2^−31 exactly as the byte loop's / 2^31.
 * Returns the samples converted (a multiple of 4; the caller converts the rest).
 */
function convert24Words(raw: Uint8Array, out: Float32Array, n: number): number {
  const w = new Uint32Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 4));
  const quads = Math.min(Math.floor(n / 4), Math.floor(w.length / 3));
  const k = 1 / 2147483648;
  for (let q = 0, j = 0, i = 0; q < quads; q++, j += 3, i += 4) {
    const w0 = w[j] as number;
    const w1 = w[j + 1] as number;
    const w2 = w[j + 2] as number;
    out[i] = (w0 << 8) * k;
    out[i + 1] = (((w0 >>> 16) & 0xff00) | (w1 << 16)) * k;
    out[i + 2] = (((w1 >>> 8) & 0xffff00) | (w2 << 24)) * k;
    out[i + 3] = (w2 & 0xffffff00) * k;
  }
  return 4 * quads;
}

/** One slice of raw bytes → float samples (the caller's buffer, `n` samples). */
export function convertPcm(raw: Uint8Array, w: WavLayout, out: Float32Array, n: number): void {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (w.format === 3 && w.bits === 32) {
    for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
  } else if (w.format === 3) {
    for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true);
  } else if (w.bits === 16) {
    for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, true) / 32768;
  } else if (w.bits === 24) {
    const done = LITTLE_ENDIAN && raw.byteOffset % 4 === 0 ? convert24Words(raw, out, n) : 0;
    for (let i = done, o = 3 * done; i < n; i++, o += 3) {
      const v = ((raw[o] as number) | ((raw[o + 1] as number) << 8) | ((raw[o + 2] as number) << 16)) << 8;
      out[i] = v / 2147483648;
    }
  } else if (w.bits === 32) {
    for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, true) / 2147483648;
  } else {
    for (let i = 0; i < n; i++) out[i] = ((raw[i] as number) - 128) / 128;
  }
}

/**
 * Calls `onFrames` with the file's samples (interleaved floats, whole frames), at most `maxFrames`
 * frames, reusing one buffer: copy what must outlive the call.
 */
export async function readPcmWav(
  path: string,
  w: WavLayout,
  maxFrames: number,
  onFrames: (x: Float32Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const file = Bun.file(path);
  const frames = Math.min(Math.floor(w.dataBytes / w.block_align), maxFrames);
  const buf = new Float32Array(SLICE_FRAMES * w.channels);
  for (let at = 0; at < frames; at += SLICE_FRAMES) {
    if (signal?.aborted) throw new AppError("cancelled", 409);
    const count = Math.min(SLICE_FRAMES, frames - at);
    const start = w.dataOffset + at * w.block_align;
    const raw = new Uint8Array(await file.slice(start, start + count * w.block_align).arrayBuffer());
    const n = Math.floor(raw.length / w.block_align) * w.channels;
    convertPcm(raw, w, buf, n);
    onFrames(buf.subarray(0, n));
    if (n < count * w.channels) return;
  }
}

/** What ffprobe reports of a WAV that ffmpeg wrote (the render's own output), read from its header. */
export type WavFacts = Pick<
  ProbeInfo,
  "duration_s" | "sample_rate" | "channels" | "codec" | "bit_depth" | "format_name"
>;

/**
 * The container fields of a PCM/float WAV from its header, as ffprobe names them (pcm_s24le, 24 bits,
 * "wav"), without an ffprobe start (≈ 0.09 CPU-s); null when the header is not one JS reads.
 */
export async function wavFacts(path: string): Promise<WavFacts | null> {
  let w: WavLayout | null;
  try {
    w = (await readWavHeader(path)).layout;
  } catch {
    return null;
  }
  if (!w || !wavPcmReadable(w) || w.rate <= 0) return null;
  const kind = w.format === 3 ? "f" : w.bits === 8 ? "u" : "s";
  return {
    duration_s: Math.floor(w.dataBytes / w.block_align) / w.rate,
    sample_rate: w.rate,
    channels: w.channels,
    codec: `pcm_${kind}${w.bits}${w.bits === 8 ? "" : "le"}`,
    bit_depth: w.bits,
    format_name: "wav",
  };
}
