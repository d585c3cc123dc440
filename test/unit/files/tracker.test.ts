// A shutdown cuts uploads in progress: receiveMultipart fails with 503 shutting_down, abortAll resolves only
// once the partial file is gone, and uploads starting after it are refused at once.
import { afterAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isAppError } from "../../../src/errors";
import { createUploadTracker, receiveMultipart } from "../../../src/files";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { listFiles } from "../../fixtures/files";
import { waitFor } from "../../fixtures/wait";

const BOUNDARY = "trackerboundary";
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await cleanup(d);
});

/** A request whose file part starts with `head` and then never sends another byte nor ends. */
function endlessUpload(head: Uint8Array): Request {
  const preamble = new TextEncoder().encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`,
  );
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(preamble);
      controller.enqueue(head);
    },
  });
  return new Request("http://x/api/v2/master", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body,
  });
}

const options = (dir: string, tracker: ReturnType<typeof createUploadTracker>) => ({
  dir,
  maxFiles: 1,
  fileFields: ["file"],
  limitFor: () => 100 * 1024 * 1024,
  tracker,
});

describe("upload tracker", () => {
  it("abortAll cuts an upload in progress and resolves after its partial file is removed", async () => {
    const dir = await tempDir("mm-tracker-");
    dirs.push(dir);
    const head = readFileSync(await makeMusic(dir, { durationS: 1 })).subarray(0, 16 * 1024);
    const uploads = join(dir, "uploads");
    const tracker = createUploadTracker();
    const receiving = receiveMultipart(endlessUpload(head), options(uploads, tracker));
    receiving.catch(() => undefined);
    await waitFor(() => listFiles(uploads).length === 1, { what: "the partial file" });
    await tracker.abortAll();
    expect(listFiles(uploads)).toEqual([]);
    const err = await receiving.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err) && [err.code, err.status]).toEqual(["shutting_down", 503]);
    // After a shutdown began, a new upload is refused before it writes anything.
    const late = await receiveMultipart(endlessUpload(head), options(uploads, tracker)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(late) && late.code).toBe("shutting_down");
    expect(listFiles(uploads)).toEqual([]);
  });
});
