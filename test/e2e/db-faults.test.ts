// A failing database or disk never kills the service or loses an upload, on the compiled binary:
// - another process holds the SQLite write lock (BEGIN IMMEDIATE) past busy_timeout while a job runs;
// - kill -9 while the job's final state write is failing (lock held), then a restart;
// - the data folder on a small tmpfs filled to the last byte (root only; skipped with the reason otherwise).
// Renders wait behind a gated real ffmpeg, and the lock is held until the service has met it, so every
// overlap is arranged by construction and waited on as a state, on any machine.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, it, test } from "bun:test";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { cleanup, makeMusic } from "../fixtures/audio";
import { waitFor } from "../fixtures/wait";
import { gatedFfmpeg } from "./gated-ffmpeg";
import {
  ensureBinary,
  filesIn,
  mastersIn,
  type Served,
  type Submitted,
  serveBinary,
  submitAudio,
  tempDir,
  uploadAudio,
} from "./lib";

let fx: string;
let input: string;

beforeAll(async () => {
  await ensureBinary();
  fx = tempDir("mm-e2e-fx-");
  input = await makeMusic(fx, { durationS: 3, name: "song.wav" });
}, 300_000);
afterAll(() => cleanup(fx));

/** Env of every service here: status polling must not meet the anonymous rate limit. */
const env = (data: string, more: Record<string, string> = {}) => ({
  MM_DATA_DIR: data,
  MM_RATE_LIMIT_PER_MIN: "0",
  ...more,
});

const upload = (url: string, lang = "en") => uploadAudio(url, input, lang);
const submit = (url: string) => submitAudio(url, input);

type Status = { status: string; attempts?: number; error?: { code: string } | null };
const statusOf = async (url: string, job: Submitted) =>
  (await (await fetch(`${url}${job.statusUrl}`)).json()) as Status;

async function health(url: string) {
  const res = await fetch(`${url}/api/health`);
  return {
    code: res.status,
    body: (await res.json()) as {
      status: string;
      database_error: string | null;
      disk: { status: string };
      problems: string[];
    },
  };
}

const events = (s: Served, name: string, task?: string) =>
  s.lines().filter((l) => l.event === name && (task === undefined || l.task_id === task));

/** Another process holding the write lock, as an operator's sqlite3 or a second tool would. */
type LockHolder = { release: () => Promise<void> };

async function holdWriteLock(dbFile: string): Promise<LockHolder> {
  const src = `
    import { Database } from "bun:sqlite";
    const db = new Database(process.argv[1]);
    db.exec("PRAGMA busy_timeout = 10000");
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    for await (const _ of Bun.stdin.stream()) {}
    db.exec("COMMIT");
    console.log("released");`;
  const p = Bun.spawn([process.execPath, "-e", src, dbFile], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = p.stdout.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  if (!first.includes("locked")) throw new Error(`lock holder failed: ${first}`);
  return {
    release: async () => {
      p.stdin.end();
      await p.exited;
    },
  };
}

/** The service met the held lock: some write of it failed on SQLITE_BUSY after busy_timeout. */
const metTheLock = (s: Served) =>
  s.lines().some((l) => typeof l.event === "string" && l.event.endsWith("_failed") && l.fault === "busy");

function jobRow(dbFile: string, id: string) {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.query("SELECT status, attempts, input_path FROM jobs WHERE public_id = ?").get(id) as {
      status: string;
      attempts: number;
      input_path: string | null;
    };
  } finally {
    db.close();
  }
}

async function waitDone(url: string, job: Submitted, what: string): Promise<Status> {
  return waitFor(
    async () => {
      const s = await statusOf(url, job);
      if (s.status === "failed" || s.status === "cancelled") throw new Error(`${what}: ${JSON.stringify(s)}`);
      return s.status === "done" && s;
    },
    { what, timeoutMs: 120_000, intervalMs: 100 },
  );
}

describe("database faults (compiled binary)", () => {
  it("survives another process holding the write lock past busy_timeout while a job runs", async () => {
    const data = tempDir("mm-e2e-dblock-");
    const gate = gatedFfmpeg();
    // Two slots but one job per owner: the second job waits in the queue, so the free slot keeps trying
    // to claim it — the timer whose uncaught SQLITE_BUSY used to kill the process.
    const s = await serveBinary(
      env(data, { MM_FFMPEG: gate.ffmpeg, MM_WORKERS: "2", MM_MAX_RUNNING_PER_OWNER: "1" }),
    );
    try {
      const job = await submit(s.url);
      await waitFor(() => gate.arrivals() > 0, { what: "the job to reach ffmpeg" });
      const waiting = await submit(s.url);
      expect((await statusOf(s.url, waiting)).status).toBe("queued");
      const lock = await holdWriteLock(join(data, "magic-master.db"));
      gate.open();
      // An upload while the lock is held: its row cannot be written, so it is refused, and its file goes.
      const refused = await upload(s.url);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("database_busy");
      expect(filesIn(join(data, "uploads"))).toHaveLength(2);
      const h = await health(s.url);
      expect(h.code).toBe(503);
      expect(h.body).toMatchObject({ database_error: "busy", status: "degraded" });
      expect(h.body.problems).toContain("database_busy");
      await waitFor(() => events(s, "job_claim_failed").length > 0, {
        what: "the claim loop to meet the held lock",
        timeoutMs: 120_000,
      });
      expect(metTheLock(s)).toBe(true);
      await lock.release();

      for (const j of [job, waiting]) {
        const done = await waitDone(s.url, j, "each job to finish after the lock");
        expect(done.attempts).toBe(1);
        expect(events(s, "job_succeeded", j.id)).toHaveLength(1);
      }
      expect(s.proc.exitCode).toBeNull();
      expect(events(s, "unhandled_error")).toEqual([]);
      await waitFor(async () => (await health(s.url)).body.database_error === null, {
        what: "health to clear the busy database once writes go through",
      });
    } finally {
      gate.open();
      await s.stop();
      await cleanup(data);
    }
  }, 180_000);

  it("after kill -9 during a failing final write, a restart finishes the job once from its kept input", async () => {
    const data = tempDir("mm-e2e-dbkill-");
    const dbFile = join(data, "magic-master.db");
    const gate = gatedFfmpeg();
    const first = await serveBinary(env(data, { MM_FFMPEG: gate.ffmpeg }));
    let lock: LockHolder | undefined;
    let second: Served | undefined;
    try {
      const job = await submit(first.url);
      await waitFor(() => gate.arrivals() > 0, { what: "the job to reach ffmpeg" });
      lock = await holdWriteLock(dbFile);
      gate.open();
      // The render finishes while the lock is held: its "done" write fails and is being retried.
      await waitFor(() => events(first, "job_state_write_failed", job.id).some((l) => l.step === "done"), {
        what: "the done write to fail on the held lock",
        timeoutMs: 120_000,
        detail: () =>
          first
            .lines()
            .map((l) => `${l.event}:${l.step ?? l.stage ?? ""}`)
            .slice(-30),
      });
      first.proc.kill(9);
      await first.proc.exited;
      await lock.release();
      lock = undefined;
      // The upload outlived the failed write; the row still says running, for recovery.
      expect(filesIn(join(data, "uploads"))).toHaveLength(1);
      expect(jobRow(dbFile, job.id)).toMatchObject({ status: "running", attempts: 1 });
      expect(events(first, "job_succeeded")).toEqual([]);

      second = await serveBinary(env(data, { MM_FFMPEG: gate.ffmpeg }));
      const done = await waitDone(second.url, job, "the re-queued job to finish");
      expect(done.attempts).toBe(2);
      await waitFor(() => filesIn(join(data, "uploads")).length === 0, { what: "the input to be deleted" });
      expect(events(second, "job_succeeded", job.id)).toHaveLength(1);
      expect(mastersIn(join(data, "results"))).toHaveLength(1);
      expect(jobRow(dbFile, job.id).input_path).toBeNull();
    } finally {
      await lock?.release();
      gate.killWaiting();
      gate.open();
      if (first.proc.exitCode === null) first.proc.kill(9);
      await second?.stop();
      await cleanup(data);
    }
  }, 240_000);
});

// A tmpfs needs root (CAP_SYS_ADMIN); try it once and say why when it cannot run.
const tmpfs = (() => {
  if (process.getuid?.() !== 0) return { ok: false, why: "not running as root (mount -t tmpfs needs it)" };
  const dir = tempDir("mm-e2e-tmpfs-probe-");
  const r = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stderr: "pipe" });
  if (r.exitCode !== 0) return { ok: false, why: `mount -t tmpfs failed: ${r.stderr.toString().trim()}` };
  Bun.spawnSync(["umount", dir]);
  rmSync(dir, { recursive: true, force: true });
  return { ok: true, why: "" };
})();
if (!tmpfs.ok) console.warn(`skip: disk-full tests on a tmpfs, because ${tmpfs.why}`);

/** Fills the filesystem of `dir` to the last byte; returns the filler's path. */
function fillDisk(dir: string): string {
  const path = join(dir, "filler.bin");
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(256 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOSPC") throw err;
    // The last partial chunk: fill the remaining bytes one small write at a time.
    try {
      for (;;) writeSync(fd, chunk, 0, 512);
    } catch {
      // full
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

describe("a full disk (compiled binary, tmpfs)", () => {
  test.skipIf(!tmpfs.ok)(
    "uploads answer 507, the service stays up and health says so; after freeing space a job completes",
    async () => {
      const mnt = tempDir("mm-e2e-tmpfs-");
      expect(Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt]).exitCode).toBe(0);
      const data = join(mnt, "data");
      mkdirSync(data);
      const gate = gatedFfmpeg();
      let s: Served | undefined;
      try {
        s = await serveBinary(env(data, { MM_DISK_LOW_MB: "1", MM_FFMPEG: gate.ffmpeg }));
        // A job already running when the disk fills: it must end in a final state, not kill the service.
        const running = await submit(s.url);
        await waitFor(() => gate.arrivals() > 0, { what: "the first job to reach ffmpeg" });
        const filler = fillDisk(mnt);
        gate.open();

        const en = await upload(s.url, "en");
        expect(en.status).toBe(507);
        const enBody = (await en.json()) as { error: { code: string; message: string } };
        expect(enBody.error.code).toBe("insufficient_storage");
        expect(enBody.error.message).toMatch(/disk space/i);
        const ru = await upload(s.url, "ru");
        expect(ru.status).toBe(507);
        expect(((await ru.json()) as { error: { message: string } }).error.message).toMatch(/мест/);
        // No partial upload left behind; only the running job's input is there.
        expect(filesIn(join(data, "uploads"))).toHaveLength(1);
        const h = await health(s.url);
        expect(h.code).toBe(503);
        expect(h.body.disk.status).toBe("full");
        expect(h.body.problems).toContain("disk_full");
        expect(s.proc.exitCode).toBeNull();

        // The running job cannot write its render: it fails, or its failed-state write is retried.
        await waitFor(
          async () =>
            (await statusOf(s?.url ?? "", running)).status === "failed" ||
            events(s as Served, "job_state_write_failed", running.id).length > 0,
          { what: "the job to fail on the full disk", timeoutMs: 120_000, intervalMs: 100 },
        );
        rmSync(filler);
        const ended = await waitFor(
          async () => {
            const st = await statusOf(s?.url ?? "", running);
            return st.status === "failed" && st;
          },
          {
            what: "the failed state to be committed once there is room",
            timeoutMs: 120_000,
            intervalMs: 100,
          },
        );
        expect(ended.error?.code).toBe("insufficient_storage");
        // Its input went only with the committed final state.
        await waitFor(() => filesIn(join(data, "uploads")).length === 0, {
          what: "the failed job's input to go",
        });
        const after = await submit(s.url);
        await waitDone(s.url, after, "a job after freeing space");
        // Health is one measurement shared for a second (sharedHealth): wait for one taken after the room came.
        await waitFor(async () => (await health(s?.url ?? "")).body.disk.status === "ok", {
          what: "health to say the disk is ok again",
        });
        expect(s.proc.exitCode).toBeNull();
        expect(events(s, "unhandled_error")).toEqual([]);
      } finally {
        gate.open();
        await s?.stop();
        Bun.spawnSync(["umount", "-l", mnt]);
        await cleanup(mnt);
      }
    },
    240_000,
  );
});
