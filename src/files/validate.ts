// Decides whether a stored upload is audio we can master: magic bytes, WAV header sanity, then ffprobe must
// find an audio stream with a duration. Deletes nothing itself: the caller owns the file.

import { open } from "node:fs/promises";
import { type ProbeInfo, probe } from "../audio";
import { AppError, isAppError } from "../errors";
import { type AudioContainer, sniffAudioContainer } from "./sniff";

export type ValidatedAudio = { format: AudioContainer; probe: ProbeInfo };

const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

/**
 * RIFF files say how long they are. A header claiming more data than the file holds means a truncated
 * upload or a forged header (e.g. "4 GB"); ffprobe would happily report hours of audio for it.
 */
async function checkRiffSizes(path: string, fileBytes: number): Promise<void> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(Math.min(fileBytes, 1 << 16));
    await fh.read(buf, 0, buf.length, 0);
    const view = new DataView(buf.buffer);
    if (String.fromCharCode(...buf.subarray(0, 4)) !== "RIFF") return;
    const riff = view.getUint32(4, true);
    if (!UNKNOWN_SIZES.has(riff) && riff + 8 > fileBytes + 1) throw new AppError("audio_truncated", 422);
    let at = 12;
    while (at + 8 <= buf.length) {
      const id = String.fromCharCode(...buf.subarray(at, at + 4));
      const size = view.getUint32(at + 4, true);
      if (id === "data") {
        if (!UNKNOWN_SIZES.has(size) && at + 8 + size > fileBytes + 1)
          throw new AppError("audio_truncated", 422);
        return;
      }
      at += 8 + size + (size % 2);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Validates the file at `path`. Throws AppError unsupported_format (415) for content that is not one of our
 * containers, audio_truncated / audio_unreadable (422) when it cannot be decoded, no_audio_stream (415).
 * `originalName` only goes into error params; the content decides.
 */
export async function validateAudio(path: string, originalName: string): Promise<ValidatedAudio> {
  const file = Bun.file(path);
  const bytes = file.size;
  if (bytes === 0) throw new AppError("empty_file", 400);
  const format = sniffAudioContainer(new Uint8Array(await file.slice(0, 64).arrayBuffer()));
  if (!format) throw new AppError("unsupported_format", 415, { name: originalName });
  if (format === "wav") await checkRiffSizes(path, bytes);
  let info: ProbeInfo;
  try {
    info = await probe(path);
  } catch (err) {
    if (isAppError(err) && (err.code === "no_audio_stream" || err.code === "audio_unreadable")) throw err;
    throw new AppError("audio_unreadable", 422, {}, err);
  }
  if (!info.has_audio || !(info.duration_s > 0) || info.sample_rate <= 0 || info.channels <= 0)
    throw new AppError("audio_unreadable", 422);
  return { format, probe: info };
}
