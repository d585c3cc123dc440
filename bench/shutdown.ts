// SIGTERM → exit of an idle service (moved from the e2e suite, which checks only exit code 0 and the
// shutdown_done line), median of 10 runs. Baseline in the same run: a bare `bun -e Bun.serve` stopped the
// same way. Needs dist/magic-master (bun run build).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fmt, median } from "./lib";

const BINARY = resolve(import.meta.dir, "../dist/magic-master");
const RUNS = 10;

/** Starts `cmd`, waits for a 200 on /api/health, then times SIGTERM → exit. */
async function stopTime(cmd: string[], env: Record<string, string>, port: number): Promise<number> {
  const p = Bun.spawn(cmd, {
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
    stdout: "ignore",
    stderr: "ignore",
  });
  const deadline = performance.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      p.kill("SIGKILL");
      throw new Error(`${cmd[0]}: no 200 within 30 s`);
    }
    await Bun.sleep(5);
  }
  const t0 = performance.now();
  p.kill("SIGTERM");
  const code = await p.exited;
  const ms = performance.now() - t0;
  if (code !== 0 && cmd[0] === BINARY) throw new Error(`magic-master exited ${code} on SIGTERM`);
  return ms;
}

const bare = `Bun.serve({ port: Number(process.env.PORT), hostname: "127.0.0.1", fetch: () => Response.json({ status: "ok" }) }); process.on("SIGTERM", () => process.exit(0));`;
const ours: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  ours.push(
    await stopTime([BINARY, "serve"], { MM_DATA_DIR: mkdtempSync(join(tmpdir(), "mm-bench-")) }, port),
  );
  base.push(await stopTime(["bun", "-e", bare], {}, port + 1));
}
console.log(
  `shutdown: magic-master SIGTERM → exit median ${fmt(median(ours))} ms; bare bun -e Bun.serve ${fmt(median(base))} ms; ratio ${fmt(median(ours) / median(base), 2)}×`,
);
