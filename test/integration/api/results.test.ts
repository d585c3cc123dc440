// Typed results over loopback with real ffmpeg and SQLite: the analysis the engine measured is the one the
// row holds and the API returns (same type, same values), and the result's MIME type lives on the row and
// is what the download answers with. A data folder moved elsewhere still serves its results (rows name
// files by area and name, not by the old path); a result lost from the folder answers 410 in JSON.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Analysis } from "../../../src/audio";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi, until } from "./harness";

let h: Harness;
let fx: string;
let song: string;

beforeAll(async () => {
  fx = await tempDir();
  song = await makeMusic(fx, { durationS: 2 });
  h = await startApi();
});
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
  await cleanup(fx);
});

type Submitted = { id: string; token: string; result_url: string };

async function masterToDone(fields: Record<string, string>): Promise<Submitted> {
  const res = await fetch(`${h.url}/api/v2/master`, {
    method: "POST",
    body: await form([{ name: "song.wav", data: song }], fields),
  });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { id?: string; job_id: string; token: string; result_url: string };
  // The short id: `id` where the 202 carries it, else job_id (the handle is "<id>.<token>").
  const s = { ...body, id: body.id ?? body.job_id.split(".")[0] ?? "" };
  await until(
    "job done",
    () => h.jobs.get(s.id)?.status,
    (st) => st === "done" || st === "failed",
  );
  expect(h.jobs.get(s.id)?.status, JSON.stringify(h.jobs.get(s.id)?.error)).toBe("done");
  return s;
}

/** The row as SQLite holds it (a second connection, as an operator's sqlite3 would see it). */
function rawRow(id: string) {
  const db = new Database(h.layout.db, { readonly: true });
  try {
    return db
      .query<{ result_mime: string | null; analysis_before: string; analysis_after: string }, [string]>(
        "SELECT result_mime, analysis_before, analysis_after FROM jobs WHERE public_id = ?",
      )
      .get(id);
  } finally {
    db.close();
  }
}

describe("typed results", () => {
  it("keeps the engine's Analysis through the row and out of the API", async () => {
    const s = await masterToDone({ target_lufs: "-14", format: "wav24" });
    const view = h.jobs.get(s.id);
    // Typed: no cast, no guessing of field names.
    const after: Analysis | null = view?.analysis_after ?? null;
    const before: Analysis | null = view?.analysis_before ?? null;
    expect(after?.integrated_lufs).toBeCloseTo(-14, 0);
    expect(before?.duration_s).toBeCloseTo(2, 0);
    expect(after?.platforms.length).toBeGreaterThan(0);
    const row = rawRow(s.id);
    expect(JSON.parse(row?.analysis_after ?? "null")).toEqual(after);
    expect(JSON.parse(row?.analysis_before ?? "null")).toEqual(before);
  });

  it("stores the result's MIME type on the row and downloads with it", async () => {
    const s = await masterToDone({ target_lufs: "-14", format: "flac24" });
    expect(rawRow(s.id)?.result_mime).toBe("audio/flac");
    const res = await fetch(`${h.url}${s.result_url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/flac");
    await res.arrayBuffer();
    // The row, not the file name, decides: change it there and the download follows.
    const db = new Database(h.layout.db);
    db.run("UPDATE jobs SET result_mime = 'audio/x-flac' WHERE public_id = ?", [s.id]);
    db.close();
    const again = await fetch(`${h.url}${s.result_url}`);
    expect(again.headers.get("content-type")).toBe("audio/x-flac");
    await again.arrayBuffer();
  });
});

describe("a data folder moved, a result lost", () => {
  it("serves the result from the folder's new place, and answers a lost file 410 in JSON (no 500 page)", async () => {
    const s = await masterToDone({ target_lufs: "-14", format: "wav24" });
    await h.stop();
    // The operator moves the whole data folder (another disk): the rows still name the old paths.
    const moved = `${h.dir}-moved`;
    renameSync(h.dir, moved);
    h = await startApi({}, { dir: moved });
    const res = await fetch(`${h.url}${s.result_url}`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(44);
    // The result deleted behind the service's back: gone, said in JSON like every other API error.
    rmSync(join(h.layout.results, `${s.id}.wav`));
    const lost = await fetch(`${h.url}${s.result_url}`);
    expect(lost.status).toBe(410);
    expect(lost.headers.get("content-type")).toContain("application/json");
    expect(((await lost.json()) as { error: { code: string } }).error.code).toBe("result_expired");
  });
});
