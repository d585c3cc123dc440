// Decides whether a stored upload is audio we can master: magic bytes, WAV header sanity, then ffprobe must
// find an audio stream with a duration, within the configured caps (duration, sample rate, channels: what
// the file decodes to, not its size), and the disk must hold the job's worst case. Deletes nothing itself:
// the caller owns the file.

import { open } from "node:fs/promises";
import { type ProbeInfo, probe } from "../audio";
import { AppError, isAppError } from "../errors";
import { type Admission, admitWork } from "./admission";
import { type AudioContainer, sniffAudioContainer } from "./sniff";

export type ValidatedAudio = { format: AudioContainer; probe: ProbeInfo };

/** What ffprobe found against the caps. Throws audio_too_long, sample_rate_unsupported, too_many_channels (422). */
function checkCaps(info: ProbeInfo, caps: Admission["caps"]): void {
  if (info.duration_s > caps.maxDurationS)
    throw new AppError("audio_too_long", 422, {
      duration_min: Math.ceil(info.duration_s / 60),
      max_min: Math.round((caps.maxDurationS / 60) * 10) / 10,
    });
  if (info.sample_rate > caps.maxSampleRate)
    throw new AppError("sample_rate_unsupported", 422, {
      rate: info.sample_rate,
      max_hz: caps.maxSampleRate,
    });
  if (info.channels > caps.maxChannels)
    throw new AppError("too_many_channels", 422, { channels: info.channels, max: caps.maxChannels });
}

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
 * containers, audio_truncated / audio_unreadable (422) when it cannot be decoded, no_audio_stream (415);
 * with `admission`, also the caps' errors (422) and insufficient_storage (507) when the disk cannot hold
 * the job's intermediate and result. `originalName` only goes into error params; the content decides.
 */
export async function validateAudio(
  path: string,
  originalName: string,
  admission?: Admission,
): Promise<ValidatedAudio> {
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
  if (admission) {
    checkCaps(info, admission.caps);
    admitWork(admission, info);
  }
  return { format, probe: info };
}
