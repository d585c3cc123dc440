// The queue on a real SQLite file with a stand-in engine: claim order, per-owner limits, failures and
// refunds, restart recovery and expiry.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobEngine, type JobService, type SubmitRequest } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { analysisFixture } from "../../fixtures/analysis";
import { cleanup, tempDir } from "../../fixtures/audio";
import { stagedRequest } from "../../fixtures/submit";
import { waitFor } from "../../fixtures/wait";
import { RecordingBilling } from "./recording-billing";

let dir: string;
let dbh: DbHandle;
let billing: RecordingBilling;
let order: string[];
let fail: Set<string>;

const engine: JobEngine = {
  outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
  async master(input, output, _s, opts) {
    order.push(input.split("/").pop() ?? "");
    await Bun.sleep(20);
    if (opts.signal.aborted) throw new AppError("cancelled", 409);
    if (fail.has(input.split("/").pop() ?? "")) throw new AppError("ffmpeg_failed", 500);
    await Bun.write(output, "RIFF");
    return {
      before: analysisFixture({ integrated_lufs: -20 }),
      after: analysisFixture({ integrated_lufs: -14 }),
      duration_s: 2,
      realtime_factor: 10,
    };
  },
  preview: (...a) => engine.master(...a),
  measure: async () => ({
    before: analysisFixture(),
    after: null,
    duration_s: 2,
    realtime_factor: 10,
  }),
};

function service(env: Record<string, string> = {}): JobService {
  const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", ...env });
  return createJobService({
    dbh,
    config,
    log: silentLogger,
    layout: dataLayout(dir),
    billing,
    engine,
    pollMs: 50,
  });
}

function request(name: string, o: Partial<SubmitRequest> = {}): SubmitRequest {
  return stagedRequest(dataLayout(dir).uploads, name, o);
}

beforeEach(async () => {
  dir = await tempDir("mm-queue-");
  ensureLayout(dataLayout(dir));
  dbh = openDb(dataLayout(dir).db);
  runMigrations(dbh);
  billing = new RecordingBilling();
  order = [];
  fail = new Set();
});
afterEach(async () => {
  dbh.sqlite.close();
  await cleanup(dir);
});

describe("claim order", () => {
  it("runs owners in turns and tells each queued job its place in that order", async () => {
    const jobs = service({ MM_MAX_RUNNING_PER_OWNER: "8" });
    for (const n of ["a1", "a2", "a3"]) jobs.submit(request(n, { ownerKey: "a" }));
    const b = jobs.submit(request("b1", { ownerKey: "b" }));
    expect(b.position).toBe(2);
    const a3 = jobs.listByOwner("a", 10)[0];
    expect(a3?.original_name).toBe("a3.wav");
    expect(a3?.position).toBe(4);
    jobs.start();
    await waitFor(() => order.length === 4, { what: "all four jobs to start" });
    await jobs.idle();
    await jobs.stop(100);
    expect(order).toEqual(["a1", "b1", "a2", "a3"]);
  });

  it("skips owners already running MM_MAX_RUNNING_PER_OWNER jobs", async () => {
    const jobs = service({ MM_WORKERS: "2", MM_MAX_RUNNING_PER_OWNER: "1" });
    const a1 = jobs.submit(request("a1", { ownerKey: "a" }));
    const a2 = jobs.submit(request("a2", { ownerKey: "a" }));
    const b1 = jobs.submit(request("b1", { ownerKey: "b" }));
    // start() claims synchronously: right after it, the two slots hold a1 and b1, and a2 waits its turn.
    jobs.start();
    expect([a1, a2, b1].map((j) => jobs.get(j.id)?.status)).toEqual(["running", "queued", "running"]);
    await waitFor(() => order.length >= 2, { what: "the two claimed jobs to start" });
    expect(order.slice(0, 2).sort()).toEqual(["a1", "b1"]);
    await jobs.stop(2000);
  });
});

describe("failures and billing", () => {
  it("refunds a failed job exactly once and deletes its upload", async () => {
    fail.add("bad");
    const jobs = service();
    const v = jobs.submit(request("bad"));
    jobs.start();
    await jobs.idle();
    await jobs.stop(100);
    expect(jobs.get(v.id)).toMatchObject({ status: "failed", error: { code: "ffmpeg_failed" } });
    expect(billing.refundReasons(v.id)).toEqual(["failed"]);
    expect(() => jobs.cancel(v.id, "test")).toThrow("job_already_finished");
    expect(billing.refundReasons(v.id)).toEqual(["failed"]);
    expect(await Bun.file(join(dataLayout(dir).uploads, "bad")).exists()).toBe(false);
  });

  it("cancels a queued job at once, refunded once, upload deleted", () => {
    const jobs = service();
    const v = jobs.submit(request("q"));
    expect(jobs.cancel(v.id, "test").status).toBe("cancelled");
    expect(() => jobs.cancel(v.id, "test")).toThrow("job_already_finished");
    expect(billing.refundReasons(v.id)).toEqual(["cancelled"]);
    expect(() => jobs.cancel("ZZZZZZ", "test")).toThrow("job_not_found");
  });
});

describe("recover", () => {
  it("re-queues rows left running by a dead process and fails them after 3 attempts", () => {
    const dead = service();
    const a = dead.submit(request("a"));
    const b = dead.submit(request("b"));
    dbh.sqlite.exec(
      `UPDATE jobs SET status='running', worker_id='dead', attempts=1 WHERE public_id='${a.id}'`,
    );
    dbh.sqlite.exec(
      `UPDATE jobs SET status='running', worker_id='dead', attempts=3 WHERE public_id='${b.id}'`,
    );
    mkdirSync(join(dataLayout(dir).work, a.id), { recursive: true });
    writeFileSync(join(dataLayout(dir).work, a.id, "output.wav"), "partial");
    const jobs = service();
    expect(jobs.recover()).toEqual({ requeued: 1, failed: 1 });
    expect(jobs.get(a.id)?.status).toBe("queued");
    expect(jobs.get(b.id)).toMatchObject({ status: "failed", error: { code: "interrupted" } });
    expect(billing.refundReasons(b.id)).toEqual(["interrupted"]);
    expect(billing.refundReasons(a.id)).toEqual([]);
    expect(Bun.file(join(dataLayout(dir).work, a.id, "output.wav")).size).toBe(0);
  });

  it("sweeps running rows with a stale heartbeat", () => {
    const jobs = service({ MM_HEARTBEAT_STALE_S: "5" });
    const a = jobs.submit(request("a"));
    dbh.sqlite.exec(
      `UPDATE jobs SET status='running', worker_id='x', attempts=1, heartbeat_at=1 WHERE public_id='${a.id}'`,
    );
    expect(jobs.sweepStale(Date.now())).toEqual({ requeued: 1, failed: 0 });
  });
});

describe("expireResults", () => {
  it("deletes results past their TTL and marks the rows expired", async () => {
    const jobs = service({ MM_RESULT_TTL_H: "1" });
    const v = jobs.submit(request("ok"));
    jobs.start();
    await jobs.idle();
    await jobs.stop(100);
    const file = jobs.resultFile(v.id);
    expect(file?.name).toBe("ok_master.wav");
    expect(jobs.expireResults(Date.now())).toEqual({ expired: 0, bytesFreed: 0 });
    expect(jobs.expireResults(Date.now() + 3_700_000)).toEqual({ expired: 1, bytesFreed: 4 });
    expect(jobs.get(v.id)?.status).toBe("expired");
    expect(jobs.resultFile(v.id)).toBeUndefined();
    expect(await Bun.file(file?.path ?? "").exists()).toBe(false);
  });
});

describe("cancel from another process", () => {
  it("a job cancelled through a second service on the same database (the admin CLI) stops at the next heartbeat", async () => {
    let aborted = false;
    const started = Promise.withResolvers<void>();
    const slow: JobEngine = {
      ...engine,
      // Runs until aborted: only the heartbeat noticing the other process's cancel can end it.
      async master(_input, _output, _s, opts) {
        started.resolve();
        await new Promise<void>((resolve) => {
          if (opts.signal.aborted) resolve();
          else opts.signal.addEventListener("abort", () => resolve(), { once: true });
        });
        aborted = true;
        throw new AppError("cancelled", 409);
      },
    };
    const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", MM_HEARTBEAT_STALE_S: "5" });
    const deps = { dbh, config, log: silentLogger, layout: dataLayout(dir), billing, pollMs: 50 };
    const running = createJobService({ ...deps, engine: slow });
    const cli = createJobService({ ...deps, engine: slow });
    const job = running.submit(request("long"));
    running.start();
    await started.promise;
    expect(cli.cancel(job.id, "cli").status).toBe("cancelled");
    await waitFor(() => aborted, { what: "the running engine to be aborted by the heartbeat" });
    await running.stop(1000);
    expect(running.get(job.id)?.status).toBe("cancelled");
    expect(running.resultFile(job.id)).toBeUndefined();
    expect(billing.count("refund", job.id)).toBe(1);
  }, 20_000);
});

describe("cores per job", () => {
  it("a job alone may use two ffmpeg processes; jobs that share the pool get one each", async () => {
    const seen: (number | undefined)[] = [];
    const recording: JobEngine = {
      ...engine,
      async master(input, output, s, opts) {
        seen.push(opts.processes);
        return engine.master(input, output, s, opts);
      },
    };
    const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "2", MM_MAX_RUNNING_PER_OWNER: "8" });
    const jobs = createJobService({
      dbh,
      config,
      log: silentLogger,
      layout: dataLayout(dir),
      billing,
      engine: recording,
      pollMs: 50,
      cpus: 2,
    });
    jobs.submit(request("a"));
    jobs.submit(request("b"));
    jobs.submit(request("c"));
    jobs.start();
    await waitFor(() => seen.length === 3, { what: "the three jobs to start" });
    await jobs.idle();
    expect(seen.slice(0, 2)).toEqual([1, 1]);
    jobs.submit(request("alone"));
    await waitFor(() => seen.length === 4, { what: "the lone job to start" });
    await jobs.idle();
    await jobs.stop(100);
    expect(seen.at(-1)).toBe(2);
  });

  it("MM_JOB_PROCESSES=1, or one CPU, keeps even a lone job on one process (worker nodes sharing a machine)", async () => {
    const seen: (number | undefined)[] = [];
    const recording: JobEngine = {
      ...engine,
      async master(input, output, s, opts) {
        seen.push(opts.processes);
        return engine.master(input, output, s, opts);
      },
    };
    const run = async (env: Record<string, string>, cpus = 2) => {
      const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", ...env });
      const deps = { dbh, config, log: silentLogger, layout: dataLayout(dir), billing, pollMs: 50, cpus };
      const jobs = createJobService({ ...deps, engine: recording });
      const before = seen.length;
      jobs.submit(request(`lone-${before}`));
      jobs.start();
      await waitFor(() => seen.length === before + 1, { what: "the lone job to start" });
      await jobs.idle();
      await jobs.stop(100);
      return seen.at(-1);
    };
    expect(await run({})).toBe(2);
    expect(await run({ MM_JOB_PROCESSES: "1" })).toBe(1);
    // auto on a one-CPU machine: the second process would only take turns with the first.
    expect(await run({}, 1)).toBe(1);
  });
});
