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

/** Parses a RIFF/WAVE header held in `head` (its first bytes); null when `data` is not in it yet. */
export function parseWavHeader(head: Uint8Array, fileSize: number): WavLayout | null {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (o: number) => String.fromCharCode(...head.subarray(o, o + 4));
  if (head.length < 12) return null;
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("intermediate: not a RIFF/WAVE file");
  let off = 12;
  let fmt: Omit<WavLayout, "dataOffset" | "dataBytes"> | null = null;
  while (off + 8 <= head.length) {
    const id = tag(off);
    const len = dv.getUint32(off + 4, true);
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
    off += 8 + len + (len & 1);
  }
  return null;
}

/** The chain's intermediate: 1–2 channel IEEE float (format 3), what the limiter model folds. */
export function floatIntermediate(w: WavLayout): void {
  if (w.format !== 3 || w.bits !== 32 || (w.channels !== 1 && w.channels !== 2))
    throw new Error(`intermediate: format ${w.format}, ${w.bits} bits, ${w.channels} channels`);
}
