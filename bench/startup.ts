// Binary start → first 200 on /api/health, median of 10 runs (goal < 150 ms).
// Baseline in the same run: a bare `bun -e Bun.serve` answering the same JSON, started the same way.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fmt, median } from "./lib";

const BINARY = resolve(import.meta.dir, "../dist/magic-master");
const RUNS = 10;

async function firstOk(cmd: string[], env: Record<string, string>, port: number): Promise<number> {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, {
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    const deadline = t0 + 10_000;
    while (performance.now() < deadline) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (r.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await Bun.sleep(2);
    }
    throw new Error("no 200 within 10 s");
  } finally {
    p.kill("SIGTERM");
    await p.exited;
  }
}

const bare = `Bun.serve({ port: Number(process.env.PORT), hostname: "127.0.0.1", fetch: () => Response.json({ status: "ok" }) })`;
const ours: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  ours.push(
    await firstOk([BINARY, "serve"], { MM_DATA_DIR: mkdtempSync(join(tmpdir(), "mm-bench-")) }, port),
  );
  base.push(await firstOk(["bun", "-e", bare], {}, port + 1));
}
console.log(
  `startup: magic-master first 200 median ${fmt(median(ours))} ms (goal < 150 ms); bare bun -e Bun.serve ${fmt(median(base))} ms; ratio ${fmt(median(ours) / median(base), 2)}×`,
);
