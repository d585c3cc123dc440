// Bench (issue 13 point 6): SSE updates per second during a job, as the job page receives them. The real
// service (real ffmpeg, one worker) masters a generated 60-s track while N clients follow
// GET /api/jobs/:handle/events (the job page's stream): progress events per second of running time per
// client, the distinct percentages seen, and the gap between updates. Baseline in the same run: the
// worker's progress write interval (500 ms, src/jobs/worker-produce.ts), i.e. ≤ 2 updates/s by design — the ratio
// says how close the stream comes to it, and whether 20 watchers get the same rate as one.
// Usage: bun bench/web-sse.ts [--clients 1,20]
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { startService } from "../src/service";
import { makeMusic, tempDir } from "../test/fixtures/audio";
import { form } from "../test/integration/api/harness";
import { fmt, median } from "./lib";

const i = process.argv.indexOf("--clients");
const COUNTS = (i > 0 ? (process.argv[i + 1] ?? "1,20") : "1,20").split(",").map(Number);
const DESIGN_PER_S = 1000 / 500;

type Seen = { t: number; type: string; status: string; progress: number }[];

/** Reads one SSE stream to its end (the job's final state), timestamping every event. */
async function follow(url: string): Promise<Seen> {
  const res = await fetch(url);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const seen: Seen = [];
  let buf = "";
  const dec = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return seen;
    buf += dec.decode(value, { stream: true });
    let at = buf.indexOf("\n\n");
    while (at >= 0) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (type && data) {
        const job = JSON.parse(data) as { status: string; progress: number };
        seen.push({ t: performance.now(), type, status: job.status, progress: job.progress });
      }
      at = buf.indexOf("\n\n");
    }
  }
}

const dir = await tempDir("mm-bench-sse-");
const track = await makeMusic(dir, { durationS: 60 });
const service = await startService(
  loadConfig({ PORT: "0", MM_DATA_DIR: join(dir, "data"), MM_WORKERS: "1", MM_SSE_PER_IP: "100" }),
  silentLogger,
);
console.log(`design: ≤ ${DESIGN_PER_S} progress updates/s (one write per 500 ms)`);
console.log("clients  updates/s (median client)  × design  distinct %  median gap ms  max gap ms  running s");
for (const n of COUNTS) {
  const res = await fetch(`${service.url}/api/v2/master`, {
    method: "POST",
    body: await form([{ name: "t.wav", data: track }]),
  });
  const { handle } = (await res.json()) as { handle: string };
  const all = await Promise.all(
    Array.from({ length: n }, () => follow(`${service.url}/api/jobs/${handle}/events`)),
  );
  const rates: number[] = [];
  const gaps: number[] = [];
  let distinct = 0;
  let running = 0;
  for (const seen of all) {
    const progress = seen.filter((e) => e.type === "progress" && e.status === "running");
    const start = seen.find((e) => e.status === "running")?.t ?? seen[0]?.t ?? 0;
    const end = seen.at(-1)?.t ?? start;
    running = (end - start) / 1000;
    rates.push(progress.length / Math.max(running, 1e-9));
    distinct = new Set(progress.map((e) => Math.round(e.progress * 100))).size;
    for (let k = 1; k < progress.length; k++) gaps.push((progress[k]?.t ?? 0) - (progress[k - 1]?.t ?? 0));
  }
  const rate = median(rates);
  console.log(
    `${String(n).padStart(7)}  ${fmt(rate, 2).padStart(25)}  ${fmt(rate / DESIGN_PER_S, 2).padStart(8)}  ${String(distinct).padStart(10)}  ${fmt(median(gaps), 0).padStart(13)}  ${fmt(Math.max(...gaps), 0).padStart(10)}  ${fmt(running).padStart(9)}`,
  );
}
await service.stop();
