// A job cancelled while its worker is still setting up (the input fetch, a bucket download on an S3 node)
// never reaches the engine: no ffmpeg is started for a job nobody wants. The fetch is held at a gate by a
// file store that wraps the real local one, so the cancel lands in that window by construction.
import { afterEach, beforeEach, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { type DbHandle, openDb, runMigrations } from "../../../src/db";
import { createLocalFileStore, dataLayout, ensureLayout, type FileStore } from "../../../src/files";
import { createJobService, type JobEngine, type JobService } from "../../../src/jobs";
import { createLogger } from "../../../src/log";
import { analysisFixture } from "../../fixtures/analysis";
import { cleanup, tempDir } from "../../fixtures/audio";
import { stagedRequest } from "../../fixtures/submit";
import { waitFor } from "../../fixtures/wait";

let dir: string;
let dbh: DbHandle;
let jobs: JobService;
let engineCalls: number;
let fetching: boolean;
let openGate: () => void;

const engine: JobEngine = {
  outputOf: () => ({ extension: "wav", mime: "audio/wav" }),
  async master(_input, output) {
    engineCalls++;
    await Bun.write(output, "RIFF");
    return { before: analysisFixture(), after: analysisFixture(), duration_s: 2, realtime_factor: 10 };
  },
  preview: (...a) => engine.master(...a),
  measure: async () => ({ before: analysisFixture(), after: null, duration_s: 2, realtime_factor: 10 }),
};

beforeEach(async () => {
  dir = await tempDir("mm-cancel-setup-");
  const layout = dataLayout(dir);
  ensureLayout(layout);
  dbh = openDb(layout.db);
  runMigrations(dbh);
  engineCalls = 0;
  fetching = false;
  const gate = new Promise<void>((res) => {
    openGate = res;
  });
  const local = createLocalFileStore(layout);
  const files: FileStore = {
    ...local,
    kind: local.kind,
    where: local.where,
    presignDownloadsS: local.presignDownloadsS,
    async fetch(ref) {
      fetching = true;
      await gate;
      return local.fetch(ref);
    },
  };
  const config = loadConfig({ MM_DATA_DIR: dir, MM_WORKERS: "1" });
  const log = createLogger("error", () => undefined);
  jobs = createJobService({ dbh, config, log, layout, engine, files, pollMs: 50 });
});
afterEach(async () => {
  openGate();
  await jobs.stop(1000);
  dbh.sqlite.close();
  await cleanup(dir);
});

it("a job cancelled during the input fetch ends cancelled without calling the engine", async () => {
  const job = jobs.submit(
    stagedRequest(dataLayout(dir).uploads, "song", { ownerKey: "tg:7", userId: null, source: "bot" }),
  );
  jobs.start();
  await waitFor(() => fetching && jobs.get(job.id)?.status === "running", { what: "the fetch held" });
  jobs.cancel(job.id, "user:7");
  openGate();
  await jobs.idle();
  expect(jobs.get(job.id)?.status).toBe("cancelled");
  expect(engineCalls).toBe(0);
});

it("the same job not cancelled goes on to the engine once the fetch returns", async () => {
  const job = jobs.submit(
    stagedRequest(dataLayout(dir).uploads, "song", { ownerKey: "tg:7", userId: null, source: "bot" }),
  );
  jobs.start();
  await waitFor(() => fetching, { what: "the fetch held" });
  openGate();
  await waitFor(() => jobs.get(job.id)?.status === "done", { what: "the job done" });
  expect(engineCalls).toBe(1);
});
