// Streams an upload to disk chunk by chunk, counting bytes as they arrive. Memory stays flat whatever the
// size; the partial file is deleted on any failure. File names on disk are random, never the user's.

import { randomUUID } from "node:crypto";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../errors";
import { type AudioContainer, SNIFF_BYTES, sniffAudioContainer } from "./sniff";

export type StoreUploadOptions = {
  dir: string;
  /** A fixed limit, or one chosen from the sniffed container (then unknown content fails at once with 415). */
  maxBytes: number | ((container: AudioContainer) => number);
  originalName: string;
};

export type StoredUpload = { path: string; bytes: number; container: AudioContainer | null };

const MB = 1024 * 1024;

const tooLarge = (limit: number) => new AppError("file_too_large", 413, { limit_mb: Math.round(limit / MB) });

/**
 * Writes `stream` to a new file under `opts.dir`. Throws AppError file_too_large (413) as soon as the
 * limit is crossed, unsupported_format (415) when a limit function is given and the first bytes are not
 * audio, empty_file (400) for zero bytes. The partial file is removed before the error propagates.
 */
export async function storeUpload(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: StoreUploadOptions,
): Promise<StoredUpload> {
  await mkdir(opts.dir, { recursive: true });
  const path = join(opts.dir, `${randomUUID()}.upload`);
  const file = await open(path, "wx");
  let bytes = 0;
  let limit = typeof opts.maxBytes === "number" ? opts.maxBytes : Number.POSITIVE_INFINITY;
  let head = new Uint8Array(0);
  let container: AudioContainer | null = null;
  const decide = () => {
    container = sniffAudioContainer(head);
    if (typeof opts.maxBytes === "function") {
      if (!container) throw new AppError("unsupported_format", 415, { name: opts.originalName });
      limit = opts.maxBytes(container);
    }
    if (bytes > limit) throw tooLarge(limit);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (head.length < SNIFF_BYTES) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        head = joined.subarray(0, SNIFF_BYTES * 4);
        if (head.length >= SNIFF_BYTES) decide();
      }
      if (bytes > limit) throw tooLarge(limit);
      await file.write(chunk);
    }
    if (bytes === 0) throw new AppError("empty_file", 400);
    if (head.length < SNIFF_BYTES) decide();
    await file.close();
    return { path, bytes, container };
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
}
