// One service per data folder, on the compiled binary: the folder lock (second serve, kill -9, restore),
// restore keeping every committed row of the old database, and admin verbs refusing a folder with no
// database instead of creating one. Renders wait behind a gated real ffmpeg, so a job stays "running"
// exactly as long as a test needs, on any machine.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cleanup, makeMusic } from "../fixtures/audio";
import { waitFor } from "../fixtures/wait";
import { gatedFfmpeg } from "./gated-ffmpeg";
import {
  ensureBinary,
  runBinary,
  type Served,
  type Submitted,
  serveBinary,
  submitAudio,
  tempDir,
} from "./lib";

let fx: string;
let input: string;

beforeAll(async () => {
  await ensureBinary();
  fx = tempDir("mm-e2e-fx-");
  input = await makeMusic(fx, { durationS: 3, name: "song.wav" });
}, 300_000);
afterAll(() => cleanup(fx));

const submit = (url: string) => submitAudio(url, input);

const statusOf = async (url: string, job: Submitted) =>
  ((await (await fetch(`${url}${job.statusUrl}`)).json()) as { status: string }).status;

/** Reads the jobs table from the side, as an operator's sqlite3 would (WAL lets it run beside the service). */
function jobRows(dbFile: string): { public_id: string; status: string; attempts: number }[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.query("SELECT public_id, status, attempts FROM jobs").all() as {
      public_id: string;
      status: string;
      attempts: number;
    }[];
  } finally {
    db.close();
  }
}

const normal = (id: string) => id.replace(/^#/, "").toUpperCase();
const lockOf = (data: string) => readFileSync(join(data, "magic-master.lock"), "utf8").trim();

describe("the data folder lock (compiled binary)", () => {
  it("a second serve on the folder exits 1 naming the folder and the holder, and the first keeps its running job", async () => {
    const data = tempDir();
    const gate = gatedFfmpeg();
    const first = await serveBinary({ MM_DATA_DIR: data, MM_FFMPEG: gate.ffmpeg });
    try {
      const job = await submit(first.url);
      await waitFor(async () => gate.arrivals() > 0, { what: "the job to reach ffmpeg" });
      expect(await statusOf(first.url, job)).toBe("running");
      const before = lockOf(data);
      const port = new URL(first.url).port;
      const second = await runBinary(["serve"], { MM_DATA_DIR: data, PORT: port, MM_FFMPEG: gate.ffmpeg });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`data folder ${data} is in use by another magic-master`);
      expect(second.stderr).toContain(`pid ${first.proc.pid}`);
      // It touched nothing: no recovery, no claim, no log line, the holder's pid still in the lock file.
      expect(second.stdout).toBe("");
      expect(lockOf(data)).toBe(before);
      expect(before).toBe(String(first.proc.pid));
      expect(jobRows(join(data, "magic-master.db"))).toEqual([
        { public_id: expect.any(String), status: "running", attempts: 1 },
      ]);
      gate.open();
      await waitFor(async () => (await statusOf(first.url, job)) === "done", {
        what: "the job to finish",
        timeoutMs: 90_000,
      });
      expect(jobRows(join(data, "magic-master.db"))[0]).toMatchObject({ status: "done", attempts: 1 });
    } finally {
      gate.open();
      await first.stop();
    }
  }, 120_000);

  it("kill -9 of the holder releases the lock, with its ffmpeg child still alive: a new serve starts", async () => {
    const data = tempDir();
    const gate = gatedFfmpeg();
    let second: Served | null = null;
    try {
      const first = await serveBinary({ MM_DATA_DIR: data, MM_FFMPEG: gate.ffmpeg });
      await submit(first.url);
      await waitFor(async () => gate.arrivals() > 0, { what: "the job to reach ffmpeg" });
      first.proc.kill(9);
      await first.proc.exited;
      // The orphaned ffmpeg wrapper is still waiting at the gate: had it inherited the lock's descriptor,
      // the lock would outlive the service.
      second = await serveBinary({ MM_DATA_DIR: data, MM_FFMPEG: gate.ffmpeg });
      expect(lockOf(data)).toBe(String(second.proc.pid));
      expect(second.lines().find((l) => l.event === "jobs_recovered")).toMatchObject({ requeued: 1 });
    } finally {
      gate.killWaiting();
      gate.open();
      await second?.stop();
    }
  }, 120_000);

  it("restore refuses while a service holds the folder, touching nothing, and works once it stopped", async () => {
    const data = tempDir();
    const backup = join(tempDir(), "b.db");
    const s = await serveBinary({ MM_DATA_DIR: data });
    let stopped = false;
    try {
      expect((await runBinary(["backup", "--out", backup], { MM_DATA_DIR: data })).code).toBe(0);
      const before = readdirSync(data).sort();
      const r = await runBinary(["restore", backup], { MM_DATA_DIR: data });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the service (pid ${s.proc.pid}) is using ${join(data, "magic-master.db")}`);
      expect(r.stderr).toContain("stop it first");
      expect(readdirSync(data).sort()).toEqual(before);
      expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
      await s.stop();
      stopped = true;
      expect((await runBinary(["restore", backup], { MM_DATA_DIR: data })).code).toBe(0);
    } finally {
      if (!stopped) await s.stop();
    }
  }, 120_000);
});

describe("restore after an unclean stop (compiled binary)", () => {
  it("keeps the old database with every committed row when the service was killed -9 mid-writes", async () => {
    const data = tempDir();
    const dbFile = join(data, "magic-master.db");
    const backup = join(tempDir(), "empty.db");
    const gate = gatedFfmpeg();
    try {
      const s = await serveBinary({ MM_DATA_DIR: data, MM_FFMPEG: gate.ffmpeg });
      expect((await runBinary(["backup", "--out", backup], { MM_DATA_DIR: data })).code).toBe(0);
      const committed: string[] = [];
      for (let i = 0; i < 3; i++) committed.push(normal((await submit(s.url)).id));
      // More uploads in flight; kill -9 as soon as one of them is answered, while the others still write.
      const inflight = Array.from({ length: 4 }, () =>
        submit(s.url).then((j) => {
          committed.push(normal(j.id));
          return j;
        }),
      );
      await Promise.race(inflight);
      s.proc.kill(9);
      await s.proc.exited;
      await Promise.allSettled(inflight);
      expect(committed.length).toBeGreaterThanOrEqual(4);
      // The precondition that makes this test mean something: committed rows are still only in the WAL.
      expect(existsSync(`${dbFile}-wal`) && statSync(`${dbFile}-wal`).size > 0).toBe(true);

      const r = await runBinary(["restore", backup, "--json"], { MM_DATA_DIR: data });
      expect(r.code).toBe(0);
      const kept = (JSON.parse(r.stdout) as { previous_kept_as: string }).previous_kept_as;
      expect(kept).toContain(".pre-restore-");
      const keptIds = jobRows(kept).map((row) => row.public_id);
      for (const id of committed) expect(keptIds).toContain(id);
      expect(jobRows(dbFile)).toEqual([]); // the restored (empty) backup, with no old WAL replayed onto it
    } finally {
      gate.killWaiting();
      gate.open();
    }
  }, 120_000);
});

describe("admin verbs outside a data folder (compiled binary)", () => {
  it("exit 1 with 'no database at …; set MM_DATA_DIR' and create no file", async () => {
    const cwd = tempDir();
    const expected = `no database at ${join(cwd, "data", "magic-master.db")}; set MM_DATA_DIR`;
    for (const args of [
      ["admin", "user", "@alice"],
      ["admin", "jobs"],
      ["admin", "flags", "set", "new_ui", "on"],
      ["cron", "run", "stats"],
      ["smoke-check", "--url", "http://127.0.0.1:9"],
    ]) {
      const r = await runBinary(args, {}, cwd);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(expected);
    }
    expect(readdirSync(cwd)).toEqual([]);
  }, 120_000);
});
