// Magic bytes: what a file really is, whatever its name says. Pure: works on the first bytes only.

/** Containers we accept. `limitClass` picks the upload limit (WAV/AIFF, FLAC, lossy). */
export type AudioContainer = "wav" | "aiff" | "flac" | "mp3" | "aac" | "ogg" | "mp4";

export const SNIFF_BYTES = 12;

const ascii = (b: Uint8Array, at: number, s: string) =>
  b.length >= at + s.length && [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/**
 * Recognises RIFF/WAVE (and RF64/BW64), FORM/AIFF(C), fLaC, ID3 or an MPEG frame sync, ADTS AAC, OggS and
 * ISO-BMFF `ftyp` (M4A). Returns null for anything else, including fewer than 12 bytes.
 */
export function sniffAudioContainer(b: Uint8Array): AudioContainer | null {
  if (b.length < SNIFF_BYTES) return null;
  if ((ascii(b, 0, "RIFF") || ascii(b, 0, "RF64") || ascii(b, 0, "BW64")) && ascii(b, 8, "WAVE"))
    return "wav";
  if (ascii(b, 0, "FORM") && (ascii(b, 8, "AIFF") || ascii(b, 8, "AIFC"))) return "aiff";
  if (ascii(b, 0, "fLaC")) return "flac";
  if (ascii(b, 0, "OggS")) return "ogg";
  if (ascii(b, 4, "ftyp")) return "mp4";
  if (ascii(b, 0, "ID3")) return "mp3";
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return "aac";
  // MPEG audio frame sync: 11 set bits, a valid version and layer III/II/I.
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0) return "mp3";
  return null;
}

/** Which upload limit a container falls under. */
export function limitClassOf(c: AudioContainer): "wav" | "flac" | "lossy" {
  if (c === "wav" || c === "aiff") return "wav";
  if (c === "flac") return "flac";
  return "lossy";
}
