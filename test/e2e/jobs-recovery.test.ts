// kill -9 mid-render, restart: the job finishes exactly once, one result file, nothing orphaned.
// Drives the compiled binary (dist/magic-master); builds it first when it is missing.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";

const ROOT = join(import.meta.dir, "..", "..");
const BIN = join(ROOT, "dist", "magic-master");

type Proc = { proc: Bun.Subprocess<"ignore", "pipe", "pipe">; url: string; lines: string[] };

let dir: string;
let fx: string;

async function startBinary(dataDir: string): Promise<Proc> {
  const proc = Bun.spawn([BIN, "serve"], {
    env: {
      ...process.env,
      PORT: "0",
      MM_HOST: "127.0.0.1",
      MM_DATA_DIR: dataDir,
      MM_WORKERS: "1",
      MM_LOG_LEVEL: "info",
      MM_BOT_TOKEN: "",
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  const url = Promise.withResolvers<string>();
  const timer = setTimeout(() => url.reject(new Error(`binary did not start: ${lines.join("\n")}`)), 30_000);
  (async () => {
    const dec = new TextDecoder();
    let rest = "";
    for await (const chunk of proc.stdout) {
      rest += dec.decode(chunk, { stream: true });
      const parts = rest.split("\n");
      rest = parts.pop() ?? "";
      for (const l of parts) {
        lines.push(l);
        const m = /"event":"server_started".*?"url":"([^"]+)"/.exec(l);
        if (m?.[1]) url.resolve(m[1]);
      }
    }
  })();
  const u = await url.promise;
  clearTimeout(timer);
  return { proc, url: u, lines };
}

const files = (d: string): string[] => {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
};

beforeAll(async () => {
  if (!existsSync(BIN)) {
    const b = Bun.spawnSync(["bun", "run", "build"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    if (b.exitCode !== 0) throw new Error(`build failed: ${b.stderr.toString()}`);
  }
  dir = await tempDir("mm-e2e-recovery-");
  fx = await tempDir("mm-e2e-fx-");
}, 180_000);
afterAll(async () => {
  await cleanup(dir);
  await cleanup(fx);
});

describe("restart recovery (compiled binary)", () => {
  it("finishes a job killed mid-render exactly once after a restart, leaving nothing orphaned", async () => {
    const input = await makeMusic(fx, { durationS: 60, name: "long.wav" });
    const first = await startBinary(dir);
    const fd = new FormData();
    fd.append("file", Bun.file(input), "long.wav");
    const res = await fetch(`${first.url}/api/v2/master`, { method: "POST", body: fd });
    expect(res.status).toBe(202);
    const { job_id, status_url } = (await res.json()) as { job_id: string; status_url: string };
    const status = async (base: string) =>
      (await (await fetch(`${base}${status_url}`)).json()) as {
        status: string;
        progress: number;
        attempts: number;
      };

    const deadline = Date.now() + 30_000;
    while ((await status(first.url)).progress < 0.05) {
      if (Date.now() > deadline) throw new Error("job never made progress");
      await Bun.sleep(100);
    }
    first.proc.kill(9);
    await first.proc.exited;
    expect(files(join(dir, "uploads")).length).toBe(1);

    const second = await startBinary(dir);
    try {
      const end = Date.now() + 90_000;
      let s = await status(second.url);
      while (s.status !== "done") {
        if (Date.now() > end || ["failed", "cancelled"].includes(s.status))
          throw new Error(`job ended ${JSON.stringify(s)}`);
        await Bun.sleep(200);
        s = await status(second.url);
      }
      expect(s.attempts).toBe(2);
      await Bun.sleep(300);
      const successes = second.lines.filter(
        (l) => l.includes('"event":"task_success"') && l.includes(job_id),
      );
      expect(successes.length).toBe(1);
      expect(files(join(dir, "results"))).toEqual([expect.stringMatching(new RegExp(`^${job_id}\\.wav$`))]);
      expect(files(join(dir, "uploads"))).toEqual([]);
      expect(files(join(dir, "work"))).toEqual([]);
    } finally {
      second.proc.kill("SIGTERM");
      await second.proc.exited;
    }
  });
});
