// kill -9 mid-render, restart: the job finishes exactly once, one result file, nothing orphaned.
// Drives the compiled binary (dist/magic-master); builds it first when it is missing. The first instance
// runs a real-time ffmpeg (-re), so the kill lands mid-render on any machine; the second one the real one.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cleanup, makeMusic, tempDir } from "../fixtures/audio";
import { processesMatching } from "../fixtures/processes";
import { slowFfmpeg } from "../fixtures/slow-ffmpeg";
import { waitFor } from "../fixtures/wait";
import { filesIn, mastersIn } from "./lib";

const ROOT = join(import.meta.dir, "..", "..");
const BIN = join(ROOT, "dist", "magic-master");

type Proc = {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  lines: string[];
  /** Resolves when stdout has ended (every line the process wrote is in `lines`). */
  drained: Promise<void>;
};

let dir: string;
let fx: string;

async function startBinary(dataDir: string, env: Record<string, string> = {}): Promise<Proc> {
  const proc = Bun.spawn([BIN, "serve"], {
    env: {
      ...process.env,
      PORT: "0",
      MM_HOST: "127.0.0.1",
      MM_DATA_DIR: dataDir,
      MM_WORKERS: "1",
      MM_LOG_LEVEL: "info",
      MM_BOT_TOKEN: "",
      ...env,
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  const url = Promise.withResolvers<string>();
  const timer = setTimeout(() => url.reject(new Error(`binary did not start: ${lines.join("\n")}`)), 60_000);
  const drained = (async () => {
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
  return { proc, url: u, lines, drained };
}

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
    const first = await startBinary(dir, { MM_FFMPEG: slowFfmpeg() });
    const fd = new FormData();
    fd.append("file", Bun.file(input), "long.wav");
    const res = await fetch(`${first.url}/api/v2/master`, { method: "POST", body: fd });
    expect(res.status).toBe(202);
    const { id, status_url } = (await res.json()) as { id: string; status_url: string };
    const status = async (base: string) =>
      (await (await fetch(`${base}${status_url}`)).json()) as {
        status: string;
        progress: number;
        attempts: number;
      };

    // The real-time ffmpeg is reading this job's upload: at 1× speed a 60 s track is far from done.
    await waitFor(() => processesMatching(dir, " -re ").length > 0, {
      what: "the first instance's ffmpeg to run",
      timeoutMs: 60_000,
    });
    expect((await status(first.url)).status).toBe("running");
    first.proc.kill(9);
    await first.proc.exited;
    // kill -9 leaves its ffmpeg children running (systemd's KillMode=control-group would take them along):
    // stop them the same way, so the second instance is alone with the data folder.
    for (const pid of processesMatching(dir)) process.kill(pid, "SIGKILL");
    await waitFor(() => processesMatching(dir).length === 0, {
      what: "the orphaned ffmpeg to exit",
      timeoutMs: 60_000,
      detail: () => processesMatching(dir),
    });
    expect(filesIn(join(dir, "uploads")).length).toBe(1);

    const second = await startBinary(dir);
    try {
      const s = await waitFor(
        async () => {
          const v = await status(second.url);
          if (["failed", "cancelled"].includes(v.status)) throw new Error(`job ended ${JSON.stringify(v)}`);
          return v.status === "done" && v;
        },
        { what: "the re-queued job to finish", timeoutMs: 180_000, intervalMs: 200 },
      );
      expect(s.attempts).toBe(2);
      // Stop the second instance and read its log to the end: then "exactly one success" is final.
      second.proc.kill("SIGTERM");
      await second.proc.exited;
      await second.drained;
      const successes = second.lines.filter((l) => l.includes('"event":"job_succeeded"') && l.includes(id));
      expect(successes.length).toBe(1);
      expect(mastersIn(join(dir, "results"))).toEqual([expect.stringMatching(new RegExp(`^${id}\\.wav$`))]);
      expect(filesIn(join(dir, "uploads"))).toEqual([]);
      expect(filesIn(join(dir, "work"))).toEqual([]);
    } finally {
      second.proc.kill("SIGTERM");
      await second.proc.exited;
    }
  });
});
