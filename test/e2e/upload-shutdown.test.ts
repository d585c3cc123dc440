// SIGTERM while an upload is half-way: the compiled service cuts the upload, removes its partial file,
// and exits 0; nothing is left under data/uploads and no job was queued.
import { beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeMusic } from "../fixtures/audio";
import { listFiles } from "../fixtures/files";
import { stalledUpload } from "../fixtures/slow-client";
import { waitFor } from "../fixtures/wait";
import { ensureBinary, serveBinary, tempDir } from "./lib";

beforeAll(ensureBinary, 300_000);

describe("SIGTERM during an upload (compiled binary)", () => {
  it("removes the partial file and exits 0", async () => {
    const data = tempDir();
    const head = readFileSync(await makeMusic(tempDir("mm-sigterm-"), { durationS: 1 })).subarray(
      0,
      32 * 1024,
    );
    // A rate window far longer than the test: only the shutdown can end this upload.
    const s = await serveBinary({ MM_DATA_DIR: data, MM_UPLOAD_RATE_WINDOW_S: "3600" });
    const uploads = join(data, "uploads");
    const up = await stalledUpload(s.url, { head, headers: { "Accept-Language": "en" } });
    await waitFor(() => listFiles(uploads).length > 0, { what: "the partial upload's file" });
    expect(listFiles(uploads)[0]).toEndWith(".upload");
    const { code } = await s.stop();
    expect(code).toBe(0);
    expect(listFiles(uploads)).toEqual([]);
    // The client is told why (the answer goes out before the HTTP stop; under extreme load the stop may
    // close the socket first, which is why this part is conditional — the file check above is not).
    const answer = await up.response.catch(() => null);
    if (answer) {
      expect(answer.status).toBe(503);
      expect(answer.body).toContain("shutting_down");
    }
    up.close();
    const events = s.lines().map((l) => l.event);
    expect(events).toContain("shutdown_done");
    expect(events).not.toContain("task_queued");
  }, 60_000);
});
