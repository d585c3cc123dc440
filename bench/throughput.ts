// Bench (issue 4 point 9): the same 8 mastering jobs (generated 2-channel music-like WAVs, 20–30 s) through
// the real service — POST /api/v2/master over loopback, pool, audio engine, ffmpeg — with MM_WORKERS=2
// and MM_WORKERS=1 in the same run. Prints the wall time of each (first POST → last job final) and the
// ratio. Goal ≥ 1.8×. MM_MAX_RUNNING_PER_OWNER=8 so the per-owner limit (all uploads come from one IP)
// does not serialise the run. Usage: bun bench/throughput.ts [--jobs 8]

import { availableParallelism } from "node:os";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startService } from "../src/service";
import { cleanup, makeMusic, tempDir } from "../test/fixtures/audio";
import { fmt, machineBusyS, processCpuS } from "./lib";

const argv = process.argv.slice(2);
const jobsArg = argv.indexOf("--jobs");
const JOBS = jobsArg >= 0 ? Number(argv[jobsArg + 1]) : 8;
const FINAL = new Set(["done", "failed", "cancelled", "expired"]);

type Run = {
  workers: number;
  wallS: number;
  done: number;
  failed: number;
  audioS: number;
  /** CPU seconds of this process and its ffmpeg children during the run. */
  cpuS: number;
  /** Cores' worth of CPU used by other processes on the machine during the run (shared machine noise). */
  othersCores: number;
};

async function run(workers: number, inputs: string[]): Promise<Run> {
  const dataDir = await tempDir("mm-bench-tp-");
  const config = loadConfig({
    PORT: "0",
    MM_HOST: "127.0.0.1",
    MM_DATA_DIR: dataDir,
    MM_WORKERS: String(workers),
    MM_MAX_RUNNING_PER_OWNER: "8",
    MM_RATE_LIMIT_PER_MIN: "0",
  });
  const svc = await startService(config, silentLogger);
  try {
    const t0 = performance.now();
    const c0 = processCpuS();
    const m0 = machineBusyS();
    const ids: string[] = [];
    for (const [i, path] of inputs.entries()) {
      const fd = new FormData();
      fd.append("file", Bun.file(path), `track-${i}.wav`);
      fd.append("format", "wav");
      const res = await fetch(`${svc.url}/api/v2/master`, { method: "POST", body: fd });
      const body = (await res.json()) as { job_id?: string };
      if (res.status !== 202 || !body.job_id)
        throw new Error(`submit ${i} → ${res.status} ${JSON.stringify(body)}`);
      ids.push(body.job_id);
    }
    for (;;) {
      const views = ids.map((id) => svc.jobs.get(id));
      if (views.every((v) => v && FINAL.has(v.status))) {
        const wallS = (performance.now() - t0) / 1000;
        const cpuS = processCpuS() - c0;
        return {
          cpuS,
          othersCores: Math.max(0, machineBusyS() - m0 - cpuS) / wallS,
          workers,
          wallS,
          done: views.filter((v) => v?.status === "done").length,
          failed: views.filter((v) => v?.status !== "done").length,
          audioS: views.reduce((s, v) => s + (v?.audio_duration_s ?? 0), 0),
        };
      }
      await Bun.sleep(50);
    }
  } finally {
    await svc.stop();
    await cleanup(dataDir);
  }
}

const fx = await tempDir("mm-bench-tp-fx-");
try {
  const inputs: string[] = [];
  for (let i = 0; i < JOBS; i++)
    inputs.push(
      await makeMusic(fx, {
        durationS: 20 + Math.round((10 * i) / Math.max(1, JOBS - 1)),
        name: `in-${i}.wav`,
      }),
    );
  // 2 workers first, then 1: any warm-up (page cache, JIT) favours the single-worker run, not the ratio.
  const two = await run(2, inputs);
  const one = await run(1, inputs);
  const ratio = one.wallS / two.wallS;
  for (const r of [one, two])
    console.log(
      `workers=${r.workers}: ${r.done}/${JOBS} done (${r.failed} not done), ${fmt(r.audioS, 0)} s of audio in ${fmt(r.wallS, 2)} s wall (${fmt(r.audioS / r.wallS, 1)}× realtime), CPU ${fmt(r.cpuS, 1)} s (${fmt(r.cpuS / r.wallS, 2)} cores busy), other processes ${fmt(r.othersCores, 2)} cores`,
    );
  console.log(
    JSON.stringify({
      bench: "throughput",
      jobs: JOBS,
      cores: availableParallelism(),
      wall_s_1_worker: +one.wallS.toFixed(2),
      wall_s_2_workers: +two.wallS.toFixed(2),
      ratio_2_vs_1: +ratio.toFixed(2),
      goal: ">= 1.8x",
      met: ratio >= 1.8 && one.done === JOBS && two.done === JOBS,
    }),
  );
} finally {
  await cleanup(fx);
}
