// Output formats: container, codec arguments, and the ceiling a lossy encoder needs. Lossy encoders
// add 0.2–0.4 dB of true peak (audio-dsp.md §5.4), so they render below the requested ceiling and are
// verified after decoding.

export type Format = {
  id: string;
  extension: string;
  mime: string;
  lossy: boolean;
  /** Bits of the written PCM (null for lossy / float). 16 gets TPDF dither. */
  bit_depth: 16 | 24 | null;
  /** kbps, or null for lossless. */
  default_bitrate: number | null;
  /** ffmpeg muxer name (-f), since the temp output name hides the extension. */
  muxer: string;
  /** Sample rates the encoder accepts; the chain renders at one of them. null = any. */
  rates: readonly number[] | null;
  /** The container can carry cover art. */
  cover: boolean;
};

export const FORMATS = [
  {
    id: "wav16",
    extension: "wav",
    mime: "audio/wav",
    lossy: false,
    bit_depth: 16,
    default_bitrate: null,
    muxer: "wav",
    rates: null,
    cover: false,
  },
  {
    id: "wav24",
    extension: "wav",
    mime: "audio/wav",
    lossy: false,
    bit_depth: 24,
    default_bitrate: null,
    muxer: "wav",
    rates: null,
    cover: false,
  },
  {
    id: "wav32f",
    extension: "wav",
    mime: "audio/wav",
    lossy: false,
    bit_depth: null,
    default_bitrate: null,
    muxer: "wav",
    rates: null,
    cover: false,
  },
  {
    id: "flac16",
    extension: "flac",
    mime: "audio/flac",
    lossy: false,
    bit_depth: 16,
    default_bitrate: null,
    muxer: "flac",
    rates: null,
    cover: true,
  },
  {
    id: "flac24",
    extension: "flac",
    mime: "audio/flac",
    lossy: false,
    bit_depth: 24,
    default_bitrate: null,
    muxer: "flac",
    rates: null,
    cover: true,
  },
  {
    id: "mp3",
    extension: "mp3",
    mime: "audio/mpeg",
    lossy: true,
    bit_depth: null,
    default_bitrate: 320,
    muxer: "mp3",
    rates: [32000, 44100, 48000],
    cover: true,
  },
  {
    id: "aac",
    extension: "m4a",
    mime: "audio/mp4",
    lossy: true,
    bit_depth: null,
    default_bitrate: 256,
    muxer: "ipod",
    rates: null,
    cover: true,
  },
  {
    id: "opus",
    extension: "opus",
    mime: "audio/ogg",
    lossy: true,
    bit_depth: null,
    default_bitrate: 192,
    muxer: "ogg",
    rates: [48000],
    cover: false,
  },
] as const satisfies readonly Format[];

export type FormatId = (typeof FORMATS)[number]["id"];
export const FORMAT_IDS = FORMATS.map((f) => f.id) as [FormatId, ...FormatId[]];

export function formatById(id: FormatId): Format {
  return FORMATS.find((f) => f.id === id) as Format;
}

/** Infers the format from an output file name (.wav → wav24, .flac → flac24, .m4a/.aac → aac …). */
export function formatFromPath(path: string): FormatId | null {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const map: Record<string, FormatId> = {
    wav: "wav24",
    flac: "flac24",
    mp3: "mp3",
    m4a: "aac",
    aac: "aac",
    opus: "opus",
    ogg: "opus",
  };
  return ext ? (map[ext] ?? null) : null;
}

/** Encoder arguments (after the filter graph) for `format` at `bitrate` kbps ("v0" = LAME VBR V0). */
export function encoderArgs(format: Format, bitrate: number | "v0" | null): string[] {
  switch (format.id) {
    case "wav16":
      return ["-c:a", "pcm_s16le"];
    case "wav24":
      return ["-c:a", "pcm_s24le"];
    case "wav32f":
      return ["-c:a", "pcm_f32le"];
    case "flac16":
      return ["-c:a", "flac", "-sample_fmt", "s16"];
    case "flac24":
      // ffmpeg's FLAC encoder writes 24-bit only from s32 input.
      return ["-c:a", "flac", "-sample_fmt", "s32"];
    case "mp3":
      return bitrate === "v0"
        ? ["-c:a", "libmp3lame", "-q:a", "0"]
        : ["-c:a", "libmp3lame", "-b:a", `${bitrate ?? 320}k`];
    case "aac":
      return ["-c:a", "aac", "-b:a", `${bitrate ?? 256}k`, "-movflags", "+faststart"];
    case "opus":
      return ["-c:a", "libopus", "-b:a", `${bitrate ?? 192}k`];
    default:
      return [];
  }
}

/**
 * The ceiling to render at so the decoded file still meets `ceiling`: lossless renders at the
 * ceiling; lossy at most −1.5 dBTP (−2.0 at ≤ 128 kbps) and at least 0.5/1.0 dB below the request.
 */
export function renderCeiling(format: Format, ceiling: number, bitrate: number | "v0" | null): number {
  if (!format.lossy) return ceiling;
  const low = typeof bitrate === "number" && bitrate <= 128;
  return low ? Math.min(ceiling - 1, -2) : Math.min(ceiling - 0.5, -1.5);
}
