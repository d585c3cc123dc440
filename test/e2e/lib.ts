// Helpers for end-to-end tests: build (once) and run the compiled binary with a temp data dir.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist", "magic-master");

let built: Promise<void> | null = null;

/** Builds dist/magic-master unless it already exists (CI's install.sh builds it before the tests). */
export function ensureBinary(): Promise<void> {
  built ??= (async () => {
    if (existsSync(BINARY) && !process.env.MM_TEST_REBUILD) return;
    const p = Bun.spawn(["bun", "run", "build"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    if ((await p.exited) !== 0) throw new Error(`build failed: ${await new Response(p.stderr).text()}`);
  })();
  return built;
}

export const tempDir = (prefix = "mm-e2e-") => mkdtempSync(join(tmpdir(), prefix));

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs the binary to completion. */
export async function runBinary(
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
  binary = BINARY,
): Promise<RunResult> {
  const p = Bun.spawn([binary, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, stdout, stderr };
}

export type Served = {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  lines: () => Record<string, unknown>[];
  /** Sends SIGTERM and resolves with the exit code (how long it takes is bench/shutdown.ts's figure). */
  stop: () => Promise<{ code: number }>;
};

/** Starts `serve` (or `args`, e.g. `serve --role worker`) with PORT=0 and waits (bounded) for the logged URL. */
export async function serveBinary(
  env: Record<string, string>,
  binary = BINARY,
  cwd = ROOT,
  timeoutMs = 60_000,
  args: string[] = ["serve"],
): Promise<Served> {
  const proc = Bun.spawn([binary, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      PORT: "0",
      MM_WORKERS: "1",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const records: Record<string, unknown>[] = [];
  let url = "";
  const gotUrl = Promise.withResolvers<string>();
  (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of proc.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const rec = JSON.parse(line) as Record<string, unknown>;
          records.push(rec);
          if (rec.event === "server_started") gotUrl.resolve(String(rec.url));
        } catch {
          records.push({ event: "non_json_line", line });
        }
        nl = buf.indexOf("\n");
      }
    }
  })();
  const timer = setTimeout(
    () => gotUrl.reject(new Error(`no server_started within ${timeoutMs} ms`)),
    timeoutMs,
  );
  proc.exited.then(async (code) => {
    const err = await new Response(proc.stderr).text().catch(() => "");
    gotUrl.reject(
      new Error(`binary exited early with ${code}: ${JSON.stringify(records.slice(-3))} ${err.slice(-2000)}`),
    );
  });
  try {
    url = await gotUrl.promise;
  } finally {
    clearTimeout(timer);
  }
  return {
    proc,
    url,
    lines: () => records,
    stop: async () => {
      proc.kill("SIGTERM");
      return { code: await proc.exited };
    },
  };
}

/** A job the service accepted: its short id and its tokenised status URL. */
export type Submitted = { id: string; statusUrl: string };

/** Posts `file` to /api/v2/master (the answer as it comes, any status). */
export async function uploadAudio(url: string, file: string, lang = "en"): Promise<Response> {
  const fd = new FormData();
  fd.append("file", Bun.file(file), file.split("/").pop() ?? "audio.wav");
  return fetch(`${url}/api/v2/master?lang=${lang}`, { method: "POST", body: fd });
}

/** Posts `file` for mastering; throws unless the service answers 202. */
export async function submitAudio(url: string, file: string): Promise<Submitted> {
  const res = await uploadAudio(url, file);
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { job_id: string; id?: string; status_url: string };
  return { id: body.id ?? body.job_id, statusUrl: body.status_url };
}

/** The names in `dir` (none when it does not exist yet). */
export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The masters in a results folder: every name that is not a sibling (`<result>.<suffix>`: plot data, the
 * before-player copy, other formats) of another one, so "one result" means one master, siblings aside.
 */
export function mastersIn(dir: string): string[] {
  const all = filesIn(dir);
  return all.filter((f) => !all.some((g) => g !== f && f.startsWith(`${g}.`)));
}
