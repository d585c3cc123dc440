// The upgrade that brought bot_album_reports (SQLite 0023, Postgres 0007) left the bot's albums already
// in flight without a report row, so nothing would have sent their report. The backfill after it (SQLite
// 0024, Postgres 0008) gives every bot album still in flight its pending row — a track not final, or a
// track's result not yet settled — and none to finished albums, web albums or plain bot batches. On a
// real SQLite file and a real Postgres database, each migrated in two steps like an upgrade.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { PgClient, runPgMigrations } from "../../../src/db/pg";
import { cleanup, tempDir } from "../../fixtures/audio";
import { migrateBefore, pgMigrateBefore } from "../../fixtures/migrations";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";

const album = JSON.stringify({ style: "standard", album: true, tags: { album: "LP" } });
/** tags.album is a string: a batch whose tracks only carry an album tag is no album. */
const tagged = JSON.stringify({ style: "standard", tags: { album: "true" } });

/** [public_id, batch_id, bot_chat_id, params, status, bot_delivery, created_at] as an old release wrote them. */
const ROWS: [string, string | null, string | null, string, string, string | null, number][] = [
  // In flight: one track done and sent, one running → owed a report.
  ["A1", "b-running", "c1", album, "done", "sent", 100],
  ["A2", "b-running", "c1", album, "running", null, 110],
  // Every track final, the last result still being sent → owed a report.
  ["B1", "b-sending", "c2", album, "done", "sent", 200],
  ["B2", "b-sending", "c2", album, "failed", "pending", 210],
  // Finished and settled before the upgrade: reported by the old release.
  ["C1", "b-finished", "c3", album, "done", "sent", 300],
  ["C2", "b-finished", "c3", album, "cancelled", "failed", 310],
  // A web album (no chat) and a bot batch that is no album, both in flight.
  ["D1", "b-web", null, album, "queued", null, 400],
  ["E1", "b-plain", "c4", tagged, "queued", "pending", 500],
  // A bot album of one queued track.
  ["F1", "b-queued", "c5", album, "queued", null, 600],
];

const EXPECTED = [
  { batch_id: "b-queued", chat_id: "c5", state: "pending", attempts: 0, created_at: 600 },
  { batch_id: "b-running", chat_id: "c1", state: "pending", attempts: 0, created_at: 100 },
  { batch_id: "b-sending", chat_id: "c2", state: "pending", attempts: 0, created_at: 200 },
];

const INSERT =
  "INSERT INTO jobs (public_id, access_token, owner_key, source, batch_id, bot_chat_id, params, status, bot_delivery, created_at) VALUES ($1, 't', 'o', 'bot', $2, $3, $4, $5, $6, $7)";
const REPORTS =
  "SELECT batch_id, chat_id, state, attempts, created_at FROM bot_album_reports ORDER BY batch_id";

describe("backfilling bot_album_reports on SQLite", () => {
  let dir: string;
  let h: DbHandle;
  beforeEach(async () => {
    dir = await tempDir("mm-album-mig-");
    h = openDb(join(dir, "q.db"));
  });
  afterEach(async () => {
    h.sqlite.close();
    await cleanup(dir);
  });

  it("gives every bot album still in flight a pending report row, and no other batch one", () => {
    migrateBefore(h, dir, "0023_bot_album_reports");
    const add = h.sqlite.prepare(INSERT.replace(/\$(\d)/g, "?$1"));
    for (const r of ROWS) add.run(...r);
    expect(runMigrations(h)).toBe(2);
    expect(h.sqlite.query(REPORTS).all()).toEqual(EXPECTED);
  });
});

const skip = postgresMissing("the bot_album_reports backfill on Postgres");
const server = usePostgres(skip);

describe.skipIf(skip)("backfilling bot_album_reports on Postgres", () => {
  it("gives every bot album still in flight a pending report row, and no other batch one", async () => {
    const admin = PgClient.connect(server().url());
    const name = `mm_album_mig_${process.pid}`;
    admin.run(`CREATE DATABASE ${name}`);
    const pg = PgClient.connect(server().url(name));
    const dir = await tempDir("mm-album-mig-pg-");
    try {
      pgMigrateBefore(pg, dir, "0007_bot_album_reports");
      for (const r of ROWS) pg.run(INSERT, r);
      expect(runPgMigrations(pg)).toBe(2);
      expect(pg.all(REPORTS)).toEqual(EXPECTED);
    } finally {
      pg.close();
      admin.close();
      await cleanup(dir);
    }
  }, 60_000);
});
