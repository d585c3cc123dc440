// The migration that adds jobs.result_mime fills it for results written before it existed, from the
// extension downloads used to guess by, on a real SQLite file migrated in two steps like an upgrade.
import { afterEach, beforeEach, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { cleanup, tempDir } from "../../fixtures/audio";
import { migrateBefore } from "../../fixtures/migrations";

let dir: string;
let h: DbHandle;
beforeEach(async () => {
  dir = await tempDir("mm-mime-mig-");
  h = openDb(join(dir, "q.db"));
});
afterEach(async () => {
  h.sqlite.close();
  await cleanup(dir);
});

it("backfills result_mime of finished rows from their result extension", () => {
  // The schema as the first release shipped it: only the initial migration.
  migrateBefore(h, dir, "0001_result_mime");
  const add = h.sqlite.prepare(
    "INSERT INTO jobs (public_id, access_token, owner_key, source, status, result_path) VALUES (?, 't', 'o', 'api', ?, ?)",
  );
  add.run("A", "done", "/data/results/A.mp3");
  add.run("B", "done", "/data/results/B.FLAC");
  add.run("C", "done", "/data/results/C.v1.m4a");
  add.run("D", "failed", null);
  expect(runMigrations(h)).toBeGreaterThan(0);
  const rows = h.sqlite.query("SELECT public_id, result_mime FROM jobs ORDER BY public_id").all();
  expect(rows).toEqual([
    { public_id: "A", result_mime: "audio/mpeg" },
    { public_id: "B", result_mime: "audio/flac" },
    { public_id: "C", result_mime: "audio/mp4" },
    { public_id: "D", result_mime: null },
  ]);
});
