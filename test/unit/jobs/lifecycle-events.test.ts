// One vocabulary for the job lifecycle, read from the real log lines of a job service on a real SQLite
// file: one event per step (job_queued, job_started, job_succeeded, job_failed, job_cancelled,
// job_requeued, job_expired), durations as duration_ms, errors as error_code + error, and task_id plus
// user_id on every line; a user's cancel is job_cancelled, never a failure; no task_* names are left.
import { afterEach, beforeEach, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { createLogger } from "../../../src/log";
import { analysisFixture } from "../../fixtures/analysis";
import { cleanup, tempDir } from "../../fixtures/audio";
import { stagedRequest } from "../../fixtures/submit";
import { waitFor } from "../../fixtures/wait";

type Line = Record<string, unknown> & { event: string };
let dir: string;
let dbh: DbHandle;
let lines: Line[];
let jobs: JobService;
let clock: number;

/** Masters "ok*" at once, fails "bad*", and holds "slow*" until aborted. */
const engine: JobEngine = {
  outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
  async master(input, output, _s, opts) {
    const name = input.split("/").pop() ?? "";
    if (name.startsWith("bad")) throw new AppError("ffmpeg_failed", 500);
    if (name.startsWith("slow"))
      await new Promise<void>((resolve) => {
        // Cancelled before the engine was called (the worker's set-up is async): resolve at once.
        if (opts.signal.aborted) resolve();
        else opts.signal.addEventListener("abort", () => resolve(), { once: true });
      });
    if (opts.signal.aborted) throw new AppError("cancelled", 409);
    await Bun.write(output, "RIFF");
    return { before: analysisFixture(), after: analysisFixture(), duration_s: 2, realtime_factor: 10 };
  },
  preview: (...a) => engine.master(...a),
  measure: async () => ({ before: analysisFixture(), after: null, duration_s: 2, realtime_factor: 10 }),
};

beforeEach(async () => {
  dir = await tempDir("mm-events-");
  const layout = dataLayout(dir);
  ensureLayout(layout);
  dbh = openDb(layout.db);
  runMigrations(dbh);
  lines = [];
  clock = Date.now();
  const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", MM_RESULT_TTL_H: "1" });
  const log = createLogger("debug", (l) => lines.push(JSON.parse(l) as Line));
  jobs = createJobService({ dbh, config, log, layout, engine, pollMs: 50, now: () => clock });
});
afterEach(async () => {
  await jobs.stop(1000);
  dbh.sqlite.close();
  await cleanup(dir);
});

function submit(name: string) {
  return jobs.submit(
    stagedRequest(dataLayout(dir).uploads, name, { ownerKey: "tg:7", userId: null, source: "bot" }),
  );
}
const of = (id: string) => lines.filter((l) => l.task_id === id).map((l) => l.event);
const one = (id: string, event: string) => {
  const found = lines.filter((l) => l.task_id === id && l.event === event);
  expect(found).toHaveLength(1);
  return found[0] as Line;
};
const final = (id: string) => {
  const s = jobs.get(id)?.status;
  return s === "done" || s === "failed" || s === "cancelled";
};

it("logs each step of a job once, under one vocabulary", async () => {
  const ok = submit("ok1");
  const bad = submit("bad1");
  const slow = submit("slow1");
  jobs.start();
  await waitFor(() => final(ok.id) && final(bad.id) && jobs.get(slow.id)?.status === "running", {
    what: "ok done, bad failed, slow running",
  });
  jobs.cancel(slow.id, "user:7");
  await waitFor(() => final(slow.id), { what: "slow cancelled" });
  await jobs.idle();

  expect(of(ok.id)).toEqual(["job_queued", "job_started", "job_succeeded"]);
  expect(typeof one(ok.id, "job_succeeded").duration_ms).toBe("number");

  expect(of(bad.id)).toEqual(["job_queued", "job_started", "job_failed"]);
  const failed = one(bad.id, "job_failed");
  expect(failed).toMatchObject({ error_code: "ffmpeg_failed", level: "error" });
  expect(typeof failed.error).toBe("string");
  expect(typeof failed.duration_ms).toBe("number");

  // The user's cancel is one job_cancelled, not a failure (the run's own stop is a debug detail).
  expect(one(slow.id, "job_cancelled")).toMatchObject({ actor: "user:7", was: "running" });
  expect(of(slow.id).filter((e) => e.startsWith("job_") && e !== "job_run_stopped")).toEqual([
    "job_queued",
    "job_started",
    "job_cancelled",
  ]);

  // Past the TTL the result expires: job_expired.
  clock += 2 * 3_600_000;
  expect(jobs.expireResults().expired).toBe(1);
  expect(one(ok.id, "job_expired")).toBeDefined();

  for (const l of lines.filter((x) => x.event.startsWith("job_"))) {
    expect(l.task_id).toBeString();
    expect("user_id" in l).toBe(true);
  }
  expect(lines.filter((l) => l.event.startsWith("task_"))).toEqual([]);
});

it("logs job_requeued for a dead process's running job at start-up", () => {
  const j = submit("ok2");
  dbh.sqlite.run(
    "UPDATE jobs SET status = 'running', worker_id = 'dead@host', attempts = 1 WHERE public_id = ?",
    [j.id],
  );
  expect(jobs.recover()).toEqual({ requeued: 1, failed: 0 });
  expect(one(j.id, "job_requeued")).toMatchObject({ reason: "restart", attempts: 1 });
});
