// The migration that adds jobs.result_mime fills it for results written before it existed, from the
// extension downloads used to guess by, on a real SQLite file migrated in two steps like an upgrade.
import { afterEach, beforeEach, expect, it } from "bun:test";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { migrationsFolder } from "../../../src/db/migrate";
import { cleanup, tempDir } from "../../fixtures/audio";

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
  const old = join(dir, "migrations");
  cpSync(migrationsFolder(), old, { recursive: true });
  const journalPath = join(old, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag === "0000_initial_schema");
  writeFileSync(journalPath, JSON.stringify(journal));
  migrate(h.db, { migrationsFolder: old });
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
