// Bench (issue 10 point 3): what small hostile uploads cost the service. Generates the files with lavfi
// (test/fixtures/hostile.ts), starts `bun src/main.ts serve` from a checkout (`--tree`, default this one;
// point it at an older checkout for the "before" figures) on a fresh data dir, uploads each file to
// /api/v2/master (and the forged one to /api/measure), samples the data dir's growth every 20 ms until the
// job is final or the upload refused (at most --max-s seconds), and prints per file: HTTP status, code,
// time to answer, time to final, peak MB on disk, as a ratio against a plain 2 s WAV mastered in the same
// run. Usage: bun bench/input-bounds.ts [--tree DIR] [--max-s 120]
//   git -C . archive 8693b30 | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
//   bun bench/input-bounds.ts --tree /tmp/old        # before the caps and the decode budget

import { readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeMusic, tempDir } from "../test/fixtures/audio";
import { makeForgedFlac, makeLongFlac, makeWide } from "../test/fixtures/hostile";
import { fmt } from "./lib";

const argv = process.argv.slice(2);
const argOf = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const tree = resolve(argOf("tree") ?? join(import.meta.dir, ".."));
const maxMs = Number(argOf("max-s") ?? 120) * 1000;

/** Bytes under `dir` except the database files (they grow with every request, not with the audio). */
function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    try {
      if (e.isDirectory()) n += du(p);
      else if (!/\.db(-wal|-shm)?$/.test(e.name)) n += statSync(p).size;
    } catch {
      // Removed while we looked.
    }
  }
  return n;
}

type Row = { http: number; code: string; answerMs: number; finalMs: number; final: string; peakMb: number };

async function run(url: string, dataDir: string, path: string, file: string): Promise<Row> {
  const start = du(dataDir);
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, du(dataDir));
  }, 20);
  const fd = new FormData();
  fd.append("file", Bun.file(file), file.split("/").pop() ?? "x");
  const t0 = performance.now();
  const res = await fetch(`${url}${path}`, { method: "POST", body: fd });
  const answerMs = performance.now() - t0;
  const body = (await res.json()) as {
    error?: { code: string };
    status_url?: string;
    analysis?: unknown;
  };
  let final = body.error ? "refused" : body.analysis ? "done" : "";
  let code = body.error?.code ?? "";
  if (res.status === 202 && body.status_url) {
    const status = new URL(body.status_url, url);
    for (;;) {
      const j = (await (await fetch(`${url}${status.pathname}${status.search}`)).json()) as {
        status: string;
        error?: { code: string } | null;
      };
      final = j.status;
      code = j.error?.code ?? "";
      if (["done", "failed", "cancelled"].includes(j.status)) break;
      if (performance.now() - t0 > maxMs) {
        final = `${j.status} after ${maxMs / 1000} s (cancelled)`;
        await fetch(`${url}${new URL(body.status_url, url).pathname}/cancel${status.search}`, {
          method: "POST",
        });
        break;
      }
      await Bun.sleep(50);
    }
  }
  clearInterval(sampler);
  return {
    http: res.status,
    code,
    answerMs,
    finalMs: performance.now() - t0,
    final,
    peakMb: (peak - start) / 2 ** 20,
  };
}

const fx = await tempDir("mm-bench-bounds-");
const dataDir = await tempDir("mm-bench-bounds-data-");
const files = {
  "plain 2 s WAV (baseline)": await makeMusic(fx, { durationS: 2 }),
  "6 h FLAC (silence, 8 kHz mono)": await makeLongFlac(fx, { hours: 6 }),
  "8 ch × 384 kHz FLAC, 15 s": await makeWide(fx, { seconds: 15 }),
  "FLAC claiming 2 s, decoding 10 min": await makeForgedFlac(fx, { claimedS: 2, actualS: 600 }),
};
const port = 20000 + Math.floor(Math.random() * 20000);
const srv = Bun.spawn(["bun", "src/main.ts", "serve"], {
  cwd: tree,
  env: {
    ...process.env,
    MM_DATA_DIR: dataDir,
    PORT: String(port),
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_LOG_LEVEL: "error",
  },
  stdout: "ignore",
  stderr: "inherit",
});
const url = `http://127.0.0.1:${port}`;
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${url}/api/styles`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error("service did not start");
    await Bun.sleep(100);
  }
  console.log(`tree ${tree}`);
  let base: Row | null = null;
  const cases: [string, string, string][] = [
    ...Object.entries(files).map(([name, f]) => [name, "/api/v2/master", f] as [string, string, string]),
    ["FLAC claiming 2 s, decoding 10 min", "/api/measure", files["FLAC claiming 2 s, decoding 10 min"]],
  ];
  for (const [name, path, file] of cases) {
    const r = await run(url, dataDir, path, file);
    base ??= r;
    const kb = statSync(file).size / 1024;
    console.log(
      `${name} (${fmt(kb, 0)} KB) → ${path}: ${r.http} ${r.code || ""} answered in ${fmt(r.answerMs, 0)} ms, ` +
        `final "${r.final}" at ${fmt(r.finalMs / 1000, 1)} s (${fmt(r.finalMs / base.finalMs, 2)}× the baseline), ` +
        `peak ${fmt(r.peakMb)} MB on disk (${fmt(r.peakMb / Math.max(base.peakMb, 0.01), 1)}× the baseline)`,
    );
  }
} finally {
  srv.kill();
  await srv.exited;
  rmSync(fx, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
