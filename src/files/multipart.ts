// Streams a multipart/form-data request to disk with busboy: file parts go straight to files under `dir`
// (never buffered whole), text fields are collected with small limits. On any failure every file this
// request wrote is deleted before the error propagates, so a failed request leaves nothing behind.

import type { Readable } from "node:stream";
import Busboy from "busboy";
import { AppError } from "../errors";
import { discardFiles } from "./cleanup";
import { sanitizeFilename } from "./names";
import type { AudioContainer } from "./sniff";
import type { UploadTracker } from "./tracker";
import { storeUpload } from "./upload";

export type ReceivedFile = {
  field: string;
  path: string;
  bytes: number;
  originalName: string;
  container: AudioContainer | null;
};
export type ReceivedForm = { files: ReceivedFile[]; fields: Record<string, string> };

export type MultipartOptions = {
  dir: string;
  /** File parts beyond this fail the request with too_many_files (400). */
  maxFiles: number;
  /** Field names that carry files; a file under any other name fails with unexpected_file (400). */
  fileFields: readonly string[];
  /** The byte limit of one file, chosen from its sanitised name and its sniffed container. */
  limitFor: (originalName: string, container: AudioContainer) => number;
  maxFieldBytes?: number;
  maxFields?: number;
  /**
   * A body delivering fewer than `kbps` KB/s over any `windowS` seconds is cut with 408 upload_too_slow
   * (a stalled client would otherwise hold a connection and a partial file for the idle timeout).
   */
  minRate?: { kbps: number; windowS: number };
  /** Lets a shutdown cut this upload and wait for its clean-up. */
  tracker?: UploadTracker;
};

/** Reads `req` as multipart/form-data. Throws AppError (400/413/415) and leaves no file behind. */
export async function receiveMultipart(req: Request, o: MultipartOptions): Promise<ReceivedForm> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(type) || !req.body)
    throw new AppError("multipart_required", 400);
  let bb: Busboy.Busboy;
  try {
    bb = Busboy({
      headers: { "content-type": type },
      defParamCharset: "utf8",
      limits: {
        files: o.maxFiles,
        fields: o.maxFields ?? 40,
        fieldSize: o.maxFieldBytes ?? 64 * 1024,
        parts: 200,
      },
    });
  } catch (err) {
    throw new AppError("multipart_required", 400, {}, err);
  }

  const fields: Record<string, string> = {};
  const stored: ReceivedFile[] = [];
  const tasks: Promise<unknown>[] = [];
  const open = new Set<Readable>();
  let failure: unknown = null;
  let rejectFailed: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, rej) => {
    rejectFailed = rej;
  });
  failed.catch(() => undefined);
  const fail = (err: unknown) => {
    if (failure) return;
    failure = err;
    for (const s of open) s.destroy(err instanceof Error ? err : new Error(String(err)));
    rejectFailed(err);
  };

  const untrack = o.tracker?.track(fail) ?? (() => {});
  let received = 0;
  let waitingOnUs = false;
  const stall = startStallCheck(
    o.minRate,
    () => {
      // Time spent waiting for our own disk (backpressure) is not the client's fault.
      if (waitingOnUs) return null;
      return received;
    },
    fail,
  );

  bb.on("file", (field, stream, info) => {
    // Errors reach storeUpload through iteration; this listener only stops them from also going unhandled.
    stream.on("error", () => undefined);
    if (failure || !o.fileFields.includes(field)) {
      if (!failure) fail(new AppError("unexpected_file", 400, { field: field.slice(0, 40) }));
      stream.resume();
      return;
    }
    const originalName = sanitizeFilename(info.filename ?? "");
    open.add(stream);
    const task = storeUpload(stream, {
      dir: o.dir,
      originalName,
      maxBytes: (container) => o.limitFor(originalName, container),
    })
      .then((r) => {
        stored.push({ field, originalName, ...r });
      })
      .catch(fail)
      .finally(() => open.delete(stream));
    tasks.push(task);
  });
  bb.on("field", (name, value, info) => {
    if (info.valueTruncated) fail(new AppError("field_too_large", 400, { field: name.slice(0, 40) }));
    else fields[name] = value;
  });
  bb.on("filesLimit", () => fail(new AppError("too_many_files", 400, { max: o.maxFiles })));
  bb.on("fieldsLimit", () => fail(new AppError("invalid_request", 400, { details: "too many fields" })));
  bb.on("partsLimit", () => fail(new AppError("invalid_request", 400, { details: "too many parts" })));
  bb.on("error", (err) => fail(new AppError("multipart_malformed", 400, {}, err)));
  const closed = new Promise<void>((res) => bb.on("close", res));

  const reader = req.body.getReader();
  // No Promise.race against the long-lived `failed` promise inside the loop: every race would leave a
  // reaction on it holding that iteration's chunk, so an 800 MB upload would stay in memory until the end.
  // A failure instead cancels the reader (the pending read resolves as done) and wakes a drain wait.
  let wake: () => void = () => {};
  failed.catch(() => {
    reader.cancel().catch(() => undefined);
    wake();
  });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || failure) break;
      received += value.length;
      if (!bb.write(value)) {
        waitingOnUs = true;
        await new Promise<void>((res) => {
          wake = res;
          bb.once("drain", res);
        });
        waitingOnUs = false;
      }
      if (failure) break;
    }
    stall.stop();
    if (failure) throw failure;
    bb.end();
    await Promise.race([closed, failed]);
    await Promise.race([Promise.all(tasks), failed]);
    if (failure) throw failure;
    return { files: stored, fields };
  } catch (err) {
    fail(err instanceof AppError ? err : new AppError("upload_aborted", 400, {}, err));
    reader.cancel().catch(() => undefined);
    bb.destroy();
    await Promise.allSettled(tasks);
    await discardFiles(stored.map((f) => f.path));
    throw failure;
  } finally {
    stall.stop();
    untrack();
  }
}

/** Every `windowS` seconds: fewer than kbps × windowS KB since the last check fails the upload. */
function startStallCheck(
  rate: MultipartOptions["minRate"],
  bytesSoFar: () => number | null,
  fail: (err: unknown) => void,
): { stop: () => void } {
  if (!rate || rate.kbps <= 0) return { stop: () => {} };
  const need = rate.kbps * 1024 * rate.windowS;
  let last = 0;
  const timer = setInterval(() => {
    const now = bytesSoFar();
    if (now === null) return;
    if (now - last < need)
      fail(new AppError("upload_too_slow", 408, { min_kbps: rate.kbps, window_s: rate.windowS }));
    last = now;
  }, rate.windowS * 1000);
  return { stop: () => clearInterval(timer) };
}
