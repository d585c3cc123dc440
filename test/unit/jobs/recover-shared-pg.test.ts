// Start-up recovery on a shared Postgres (two nodes, two connections, one database): a node starting
// beside a live one takes only rows whose heartbeat went stale (recover({ staleOnly: true }), what
// service.ts does on Postgres); the live node's running job, its worker id and its work folder stay.
// The blanket recover() (the SQLite folder's one-worker rule) would take that live job: the last test
// shows it does, so the first fails if the service's Postgres path fell back to it.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config";
import { PgClient } from "../../../src/db";
import { AppError } from "../../../src/errors";
import { dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { cleanup, tempDir } from "../../fixtures/audio";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";
import { stagedRequest } from "../../fixtures/submit";
import { waitFor } from "../../fixtures/wait";
import { RecordingBilling } from "./recording-billing";

const skip = postgresMissing("start-up recovery on a shared Postgres");
const server = usePostgres(skip);

/** Runs until aborted: the live node's job stays running for as long as the test needs. */
const untilAborted = async (signal: AbortSignal): Promise<never> => {
  await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  throw new AppError("cancelled", 409);
};
const endless: JobEngine = {
  outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
  master: (_in, _out, _s, opts) => untilAborted(opts.signal),
  preview: (_in, _out, _s, opts) => untilAborted(opts.signal),
  measure: (_in, opts) => untilAborted(opts.signal),
};

let dir: string;
let url: string;
const open: { pg: PgClient; jobs: JobService }[] = [];
const closers: (() => void)[] = [];

function node(): JobService {
  const pg = PgClient.connect(url);
  const jobs = createJobService({
    backend: { kind: "postgres", pg },
    config: loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1", MM_HEARTBEAT_STALE_S: "60" }),
    log: silentLogger,
    layout: dataLayout(dir),
    billing: new RecordingBilling(),
    engine: endless,
    pollMs: 50,
  });
  open.push({ pg, jobs });
  return jobs;
}

beforeEach(async () => {
  if (skip) return;
  dir = await tempDir("mm-recover-pg-");
  ensureLayout(dataLayout(dir));
  url = server().freshDatabase();
});
afterEach(async () => {
  for (const n of open.splice(0)) {
    await n.jobs.stop(500);
    n.pg.close();
  }
  for (const c of closers.splice(0)) c();
  if (dir) await cleanup(dir);
});

/** Node A runs one job (fresh heartbeat, its work folder on this machine); a dead node left one stale. */
async function liveAndStale(): Promise<{ live: string; stale: string; sql: PgClient }> {
  const a = node();
  const uploads = dataLayout(dir).uploads;
  const live = a.submit(stagedRequest(uploads, "live")).id;
  a.start();
  await waitFor(() => a.get(live)?.status === "running", { what: "node A to run its job" });
  mkdirSync(join(dataLayout(dir).work, live), { recursive: true });
  writeFileSync(join(dataLayout(dir).work, live, "partial.wav"), "x");
  // Queued behind A's one busy slot, then staged as a dead node's run.
  const stale = a.submit(stagedRequest(uploads, "stale")).id;
  const sql = PgClient.connect(url);
  closers.push(() => sql.close());
  sql.run(
    "UPDATE jobs SET status = 'running', worker_id = 'dead-node', heartbeat_at = 1, attempts = 1 WHERE public_id = $1",
    [stale],
  );
  return { live, stale, sql };
}

const workerOf = (sql: PgClient, id: string) =>
  sql.get<{ status: string; worker_id: string | null }>(
    "SELECT status, worker_id FROM jobs WHERE public_id = $1",
    [id],
  );

describe.skipIf(skip)("recover on a shared Postgres", () => {
  it("staleOnly re-queues the dead node's stale row and leaves the live node's job and work folder", async () => {
    const { live, stale, sql } = await liveAndStale();
    const before = workerOf(sql, live);
    expect(before?.status).toBe("running");
    const b = node();
    expect(b.recover({ staleOnly: true })).toEqual({ requeued: 1, failed: 0 });
    expect(workerOf(sql, stale)).toEqual({ status: "queued", worker_id: null });
    expect(workerOf(sql, live)).toEqual(before);
    expect(existsSync(join(dataLayout(dir).work, live, "partial.wav"))).toBe(true);
  });

  it("the blanket recover() would take the live node's running job (why Postgres never runs it)", async () => {
    const { live, sql } = await liveAndStale();
    expect(node().recover()).toEqual({ requeued: 2, failed: 0 });
    expect(workerOf(sql, live)?.status).toBe("queued");
  });
});
