// The worker and the pool when SQLite fails under them, on a real database file: a second connection
// holds the write lock (BEGIN IMMEDIATE), as another process would. The worker's connection waits only
// 20 ms for the lock, so each failed attempt is quick; the order of effects is what is checked: the input
// is deleted only after the final state is committed, a failed write is retried, and a row whose final
// write never went through stays running with its input, so recovery runs it again.
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config";
import { type DbHandle, openDb, recentStorageFault, runMigrations } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { createLocalFileStore, type DataLayout, dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, createSqliteJobStore, type JobEngine, type JobStore } from "../../../src/jobs";
import type { JobRow } from "../../../src/jobs/store";
import { runJob, type WorkerContext } from "../../../src/jobs/worker";
import { createLogger } from "../../../src/log";
import { analysisFixture } from "../../fixtures/analysis";
import { cleanup, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";
import { RecordingBilling } from "./recording-billing";

let dir: string;
let layout: DataLayout;
let dbh: DbHandle;
let store: JobStore;
let holder: Database;
let lines: Record<string, unknown>[];
let billing: RecordingBilling;
/** Resolved by the test to let the stand-in engine finish. */
let gate: PromiseWithResolvers<void>;
let engineStarted: PromiseWithResolvers<void>;
let engineFails: boolean;
/** Runs started by a test, awaited after it (a failed test must not leak a run into the next). */
let runs: Promise<void>[];

const log = () => createLogger("debug", (l) => lines.push(JSON.parse(l)));
const events = (name: string) => lines.filter((l) => l.event === name);

const engine: JobEngine = {
  outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
  async master(_input, output, _s, opts) {
    opts.onProgress(0.1, "render");
    engineStarted.resolve();
    await gate.promise;
    opts.onProgress(0.9, "encode");
    if (engineFails) throw new AppError("ffmpeg_failed", 500);
    await Bun.write(output, "RIFF");
    return { before: analysisFixture(), after: analysisFixture(), duration_s: 2, realtime_factor: 10 };
  },
  preview: (...a) => engine.master(...a),
  measure: (...a) => engine.master(a[0], join(a[1].workDir, "m"), {}, a[1]),
};

const config = () => loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1" });

/** Queues one job through the service (not started) and claims it as `workerId`. */
function claimOne(workerId: string): JobRow {
  const input = join(layout.uploads, "in.upload");
  writeFileSync(input, "x");
  createJobService({ dbh, config: config(), log: log(), layout, billing, engine }).submit({
    ownerKey: "ip:1",
    source: "api",
    kind: "master",
    inputPath: input,
    inputBytes: 1,
    originalName: "in.wav",
    settings: {},
    lang: "en",
  });
  const row = store.claimNext(workerId, 1, Date.now());
  if (!row) throw new Error("nothing claimed");
  return row;
}

function start(...args: Parameters<typeof runJob>): Promise<void> {
  const run = runJob(...args);
  runs.push(run);
  return run;
}

function context(workerId: string, stateRetryMs: number[]): WorkerContext {
  return {
    store,
    config: config(),
    log: log(),
    layout,
    files: createLocalFileStore(layout),
    engine,
    billing,
    workerId,
    now: Date.now,
    publish: () => {},
    stateRetryMs,
  };
}

const lock = () => holder.exec("BEGIN IMMEDIATE");
const unlock = () => holder.exec("COMMIT");
const row = (id: string) => store.findByPublicId(id);

/** Polls `cond` every 10 ms, failing after a generous deadline (fixtures/wait.ts). */
async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  await waitFor(cond, { what, timeoutMs: ms, intervalMs: 10 });
}

beforeEach(async () => {
  dir = await tempDir("mm-worker-faults-");
  layout = dataLayout(dir);
  ensureLayout(layout);
  dbh = openDb(layout.db);
  runMigrations(dbh);
  store = createSqliteJobStore(dbh);
  dbh.sqlite.exec("PRAGMA busy_timeout = 20");
  holder = new Database(layout.db);
  holder.exec("PRAGMA busy_timeout = 5000");
  lines = [];
  billing = new RecordingBilling();
  gate = Promise.withResolvers();
  engineStarted = Promise.withResolvers();
  engineFails = false;
  runs = [];
});

afterEach(async () => {
  if (holder.inTransaction) holder.exec("ROLLBACK");
  gate.resolve();
  await Promise.all(runs);
  holder.close();
  dbh.sqlite.close();
  await cleanup(dir);
});

describe("worker: a failing final state write", () => {
  it("is retried, and the input is deleted only after done is committed", async () => {
    const claimed = claimOne("w1");
    const run = start(context("w1", Array(500).fill(10)), claimed, new AbortController().signal, 1);
    await engineStarted.promise;
    lock();
    gate.resolve();
    await until(() => events("job_state_write_failed").length >= 2, "two failed done writes");
    // The render is finished and its result written, but the row is not: the input must still be there.
    expect(existsSync(claimed.inputPath as string)).toBe(true);
    expect(row(claimed.publicId)?.status).toBe("running");
    expect(events("job_state_write_failed")[0]).toMatchObject({
      step: "done",
      fault: "busy",
      level: "error",
    });
    expect(events("job_state_write_failed")[0]?.task_id).toBe(claimed.publicId);
    expect(events("job_progress_write_failed").length).toBe(1);
    expect(recentStorageFault(dir)?.kind).toBe("busy");
    unlock();
    await run;
    const done = row(claimed.publicId);
    expect(done).toMatchObject({ status: "done", inputPath: null });
    expect(existsSync(claimed.inputPath as string)).toBe(false);
    expect(existsSync(done?.resultPath as string)).toBe(true);
    expect(events("job_state_write_recovered")).toHaveLength(1);
    expect(events("job_succeeded")).toHaveLength(1);
    expect(billing.count("settle", claimed.publicId)).toBe(1);
    expect(recentStorageFault(dir)).toBeNull();
  });

  it("retries a failed-state write too, refunding once after it is committed", async () => {
    engineFails = true;
    const claimed = claimOne("w1");
    const run = start(context("w1", Array(500).fill(10)), claimed, new AbortController().signal, 1);
    await engineStarted.promise;
    lock();
    gate.resolve();
    await until(() => events("job_state_write_failed").length >= 2, "two failed writes");
    expect(events("job_state_write_failed")[0]?.step).toBe("failed");
    expect(existsSync(claimed.inputPath as string)).toBe(true);
    expect(billing.count("refund", claimed.publicId)).toBe(0);
    unlock();
    await run;
    expect(row(claimed.publicId)).toMatchObject({
      status: "failed",
      errorCode: "ffmpeg_failed",
      inputPath: null,
    });
    expect(existsSync(claimed.inputPath as string)).toBe(false);
    expect(billing.count("refund", claimed.publicId)).toBe(1);
  });

  it("gives up after its retries, leaving the row running with its input; recovery then finishes it once", async () => {
    const claimed = claimOne("dead-worker");
    lock();
    const run = start(context("dead-worker", [5, 5]), claimed, new AbortController().signal, 1);
    await engineStarted.promise;
    gate.resolve();
    await run;
    expect(events("job_state_write_failed").map((l) => l.retry_in_ms)).toEqual([5, 5, null]);
    expect(events("job_left_running")).toHaveLength(1);
    expect(row(claimed.publicId)).toMatchObject({ status: "running", inputPath: claimed.inputPath });
    expect(existsSync(claimed.inputPath as string)).toBe(true);
    // The rendered file is nobody's: the row never named it.
    expect(readdirSync(layout.results)).toEqual([]);
    unlock();

    // Next start: another worker id re-queues the row and runs it with the input still on disk.
    gate = Promise.withResolvers();
    gate.resolve();
    const next = createJobService({ dbh, config: config(), log: log(), layout, billing, engine, pollMs: 20 });
    expect(next.recover()).toEqual({ requeued: 1, failed: 0 });
    next.start();
    await until(() => row(claimed.publicId)?.status === "done", "the re-run to finish");
    await next.stop(1000);
    expect(row(claimed.publicId)).toMatchObject({ status: "done", attempts: 2, inputPath: null });
    expect(existsSync(claimed.inputPath as string)).toBe(false);
    expect(events("job_succeeded")).toHaveLength(1);
    expect(billing.count("settle", claimed.publicId)).toBe(1);
  });

  it("stops retrying at once when the process is stopping", async () => {
    const claimed = claimOne("w1");
    lock();
    const stopping = new AbortController();
    const run = start(context("w1", [60_000]), claimed, new AbortController().signal, 1, stopping.signal);
    await engineStarted.promise;
    gate.resolve();
    await until(() => events("job_state_write_failed").length === 1, "the first failed write");
    stopping.abort();
    await run;
    expect(events("job_state_write_failed")).toHaveLength(2);
    expect(row(claimed.publicId)?.status).toBe("running");
    expect(existsSync(claimed.inputPath as string)).toBe(true);
  });
});

describe("pool: a locked database", () => {
  it("claims after the lock is released instead of crashing the timer", async () => {
    const claimedLater = claimOne("unused");
    // Put the row back: the pool itself must claim it.
    store.release(claimedLater.id, "unused");
    gate.resolve();
    lock();
    const svc = createJobService({ dbh, config: config(), log: log(), layout, billing, engine, pollMs: 20 });
    svc.start();
    await until(() => events("job_claim_failed").length >= 2, "two failed claims");
    expect(events("job_claim_failed")[0]).toMatchObject({ fault: "busy", failures: 1, retry_in_ms: 1000 });
    expect(events("job_claim_failed")[1]).toMatchObject({ failures: 2, retry_in_ms: 2000 });
    unlock();
    await until(() => row(claimedLater.publicId)?.status === "done", "the job to run");
    await svc.stop(1000);
    expect(events("job_succeeded")).toHaveLength(1);
  });
});
