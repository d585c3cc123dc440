// An admin's retry and delete-result on the real job service, SQLite file and token ledger: a failed job
// keeps its upload only while MM_FAILED_INPUT_KEEP_H is above 0; a retry is a new job from that upload,
// charged through the ledger (its own ref: the new id) or free; the kept upload is taken once; expiry
// deletes it; deleting a done job's result removes the file and marks the row expired.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSqliteLedger, type Ledger } from "../../../src/billing";
import { loadConfig } from "../../../src/config";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { type DataLayout, dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { analysisFixture } from "../../fixtures/analysis";
import { cleanup, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";

let dir: string;
let layout: DataLayout;
let dbh: DbHandle;
let ledger: Ledger;
let jobs: JobService;
/** The stand-in engine fails while this is true (the audio engine is tested elsewhere). */
let failing: boolean;

const engine: JobEngine = {
  outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
  async master(_input, output) {
    if (failing) throw new AppError("ffmpeg_failed", 500);
    await Bun.write(output, "RIFF-result");
    return { before: analysisFixture(), after: analysisFixture(), duration_s: 2, realtime_factor: 10 };
  },
  preview: (...a) => engine.master(...a),
  measure: (...a) => engine.master(a[0], join(a[1].workDir, "m"), {}, a[1]),
};

async function start(keepH: string) {
  jobs = createJobService({
    dbh,
    config: loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", MM_FAILED_INPUT_KEEP_H: keepH }),
    log: silentLogger,
    layout,
    billing: ledger,
    engine,
    pollMs: 20,
  });
  jobs.start();
}

let userId: number;
function submit(): string {
  const input = join(layout.uploads, `in-${Math.random().toString(36).slice(2)}.upload`);
  writeFileSync(input, "x");
  return jobs.submit({
    ownerKey: `u:${userId}`,
    userId,
    source: "web",
    kind: "master",
    inputPath: input,
    inputBytes: 1,
    originalName: "take.wav",
    settings: {},
    lang: "en",
  }).id;
}
const settled = (id: string) =>
  waitFor(() => ["done", "failed"].includes(jobs.get(id)?.status ?? ""), { what: `job ${id} final` });
const inputOf = (id: string) =>
  (dbh.sqlite.query("select input_path as p from jobs where public_id = ?").get(id) as { p: string | null })
    .p;
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return "no error";
};

beforeEach(async () => {
  dir = await tempDir("mm-retry-");
  layout = dataLayout(dir);
  ensureLayout(layout);
  dbh = openDb(layout.db);
  runMigrations(dbh);
  dbh.sqlite.run("insert into users (email, tier) values ('r@example.com', 'pro')");
  userId = (dbh.sqlite.query("select id from users").get() as { id: number }).id;
  ledger = createSqliteLedger(dbh, () => 1);
  ledger.credit(userId, 5, { note: "test", actor: "test" });
  failing = true;
});
afterEach(async () => {
  await jobs.stop(1000);
  dbh.sqlite.close();
  await cleanup(dir);
});

describe("admin retry", () => {
  it("keeps a failed job's upload, retries it charged (one new ledger row) or free, and only once", async () => {
    await start("1");
    const id = submit();
    await settled(id);
    expect(jobs.get(id)?.status).toBe("failed");
    const kept = inputOf(id);
    expect(kept).not.toBeNull();
    expect(existsSync(kept as string)).toBe(true);
    expect(ledger.balance(userId)).toBe(5); // charged 1, refunded 1

    failing = false;
    const charged = jobs.retry(id, { charge: true, actor: "test" });
    expect(charged.id).not.toBe(id);
    expect(charged.cost).toBe(1);
    expect(ledger.balance(userId)).toBe(4);
    await settled(charged.id);
    expect(jobs.get(charged.id)?.status).toBe("done");
    expect(inputOf(id)).toBeNull(); // taken by the retry
    expect(code(() => jobs.retry(id, { charge: false, actor: "test" }))).toBe("job_input_gone");
    expect(code(() => jobs.retry(charged.id, { charge: false, actor: "test" }))).toBe("job_not_retryable");
    expect(code(() => jobs.retry("ZZZZZZ", { charge: false, actor: "test" }))).toBe("job_not_found");
    const refs = dbh.sqlite
      .query("select reason, ref from ledger where ref in (?, ?) order by id")
      .all(id, charged.id) as { reason: string; ref: string }[];
    expect(refs.filter((r) => r.ref === charged.id).map((r) => r.reason)).toEqual(["charge"]);

    // A free retry charges nothing.
    failing = true;
    const second = submit();
    await settled(second);
    failing = false;
    const free = jobs.retry(second, { charge: false, actor: "test" });
    expect(free.cost).toBe(0);
    await settled(free.id);
    expect(ledger.balance(userId)).toBe(4);
    expect(dbh.sqlite.query("select count(*) as n from ledger where ref = ?").get(free.id)).toEqual({ n: 0 });
  });

  it("without MM_FAILED_INPUT_KEEP_H the upload is deleted at failure and a retry is refused", async () => {
    await start("0");
    const id = submit();
    await settled(id);
    expect(inputOf(id)).toBeNull();
    expect(code(() => jobs.retry(id, { charge: false, actor: "test" }))).toBe("job_input_gone");
  });

  it("expiry deletes a kept upload (the row stays failed)", async () => {
    await start("1");
    const id = submit();
    await settled(id);
    const kept = inputOf(id) as string;
    expect(jobs.expireResults(Date.now() + 2 * 3_600_000).expired).toBe(1);
    expect(existsSync(kept)).toBe(false);
    expect(inputOf(id)).toBeNull();
    expect(jobs.get(id)?.status).toBe("failed");
  });

  it("delete result: the file goes, the row is expired, a second delete is refused", async () => {
    failing = false;
    await start("0");
    const id = submit();
    await settled(id);
    const file = jobs.resultFile(id)?.path as string;
    expect(existsSync(file)).toBe(true);
    expect(jobs.deleteResult(id, "test").bytes).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(false);
    expect(jobs.get(id)?.status).toBe("expired");
    expect(code(() => jobs.deleteResult(id, "test"))).toBe("job_no_result");
  });
});
