// PURE: the RIFF layout of a WAV that ffmpeg wrote (the chain's pcm_f32le intermediate, a rendered
// master) or an uploaded one: where the samples start and what they are. wav-follow.ts and wav-read.ts
// read the samples straight into JS from there.

/** Where the samples start and what they are, from the RIFF chunks ffmpeg writes (fmt, LIST, data). */
export type WavLayout = {
  dataOffset: number;
  dataBytes: number;
  channels: number;
  rate: number;
  /** 1 = integer PCM, 3 = IEEE float (an extensible header's sub-format). */
  format: number;
  /** Bits of each sample's container (24-bit PCM: 24; 24 bits in 32-bit slots: 32). */
  bits: number;
  /** Bytes per frame, as the header says. */
  block_align: number;
};

/** The chunks of a RIFF/WAVE header held in `head`, in order, as far as their 8-byte heads are in it. */
function* riffChunks(head: Uint8Array): Generator<{ id: string; off: number; len: number }> {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (o: number) => String.fromCharCode(...head.subarray(o, o + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("intermediate: not a RIFF/WAVE file");
  for (let off = 12; off + 8 <= head.length; ) {
    const len = dv.getUint32(off + 4, true);
    yield { id: tag(off), off, len };
    off += 8 + len + (len & 1);
  }
}

/** Parses a RIFF/WAVE header held in `head` (its first bytes); null when `data` is not in it yet. */
export function parseWavHeader(head: Uint8Array, fileSize: number): WavLayout | null {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 12) return null;
  let fmt: Omit<WavLayout, "dataOffset" | "dataBytes"> | null = null;
  for (const { id, off, len } of riffChunks(head)) {
    if (id === "fmt ") {
      if (off + 24 > head.length) return null;
      let format = dv.getUint16(off + 8, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && off + 34 <= head.length) format = dv.getUint16(off + 32, true);
      fmt = {
        format,
        channels: dv.getUint16(off + 10, true),
        rate: dv.getUint32(off + 12, true),
        block_align: dv.getUint16(off + 20, true),
        bits: dv.getUint16(off + 22, true),
      };
    } else if (id === "data") {
      if (!fmt) throw new Error("intermediate: data before fmt");
      const dataOffset = off + 8;
      // A size ffmpeg could not patch (0 or 0xFFFFFFFF) means "to the end of the file".
      const rest = fileSize - dataOffset;
      const dataBytes = len === 0 || len === 0xffffffff ? rest : Math.min(len, rest);
      return { dataOffset, dataBytes, ...fmt };
    }
  }
  return null;
}

/**
 * The 32-bit header fields to rewrite once a WAV's data chunk holds `dataBytes` (frames appended after
 * it, the data chunk ending the file): the RIFF size, the data size and a fact chunk's frame count (ffmpeg
 * writes one for float). Sizes past 4 GiB do not fit: the caller keeps under that.
 */
export function resizedHeader(head: Uint8Array, w: WavLayout, dataBytes: number): [number, number][] {
  if (w.dataOffset + dataBytes > 0xffffffff) throw new Error("intermediate: past 4 GiB");
  const fields: [number, number][] = [
    [4, w.dataOffset + dataBytes - 8],
    [w.dataOffset - 4, dataBytes],
  ];
  for (const { id, off } of riffChunks(head.subarray(0, w.dataOffset))) {
    if (id === "fact") fields.push([off + 8, dataBytes / w.block_align]);
  }
  return fields;
}

/** The chain's intermediate: 1–2 channel IEEE float (format 3), what the limiter model folds. */
export function floatIntermediate(w: WavLayout): void {
  if (w.format !== 3 || w.bits !== 32 || (w.channels !== 1 && w.channels !== 2))
    throw new Error(`intermediate: format ${w.format}, ${w.bits} bits, ${w.channels} channels`);
}
