// Jobs across compiled `serve --role …` processes on one Postgres + one bucket, billing on:
// - a worker node killed with SIGKILL while it runs a job (held at its ffmpeg gate): another worker node
//   sweeps the dead node's job back to the queue and finishes it — done once, two attempts, one result
//   object, one charge and no refund;
// - an api-only node streams (SSE) the progress of a job a worker-only node runs (ffmpeg reading at real
//   time, so it runs for seconds on any machine) up to `done`; a cancel sent to the api node stops the
//   worker node's ffmpeg (its processes gone), the job is `cancelled` and refunded once.
import { describe, expect, it } from "bun:test";
import {
  type Cluster,
  type ClusterJob,
  ledgerOfJob,
  proUser,
  resultMastersOf,
  submitAs,
  useClusterRig,
} from "../fixtures/cluster";
import { processesMatching } from "../fixtures/processes";
import { slowFfmpeg } from "../fixtures/slow-ffmpeg";
import { waitFor } from "../fixtures/wait";
import { nodeIdOf, unhandled } from "./cluster-bot";

const rig = useClusterRig({ what: "the cluster job e2e tests", tracks: { "short.wav": 2, "longer.wav": 4 } });

type Row = { status: string; attempts: number; worker_id: string | null; cost: number };
const rowOf = (c: Cluster, id: string) =>
  c.db().get<Row>("SELECT status, attempts, worker_id, cost FROM jobs WHERE public_id = $1", [id]);

const start = () => rig.cluster({ MM_BILLING: "on" });

describe.skipIf(rig.skip)("jobs across serve processes (compiled binary, Postgres + S3, billing on)", () => {
  it("a worker node killed mid-job: another node re-queues and finishes it exactly once", async () => {
    const c = await start();
    const gate = rig.gate();
    const api = await c.start("api", "api");
    const w1 = await c.start("w1", "worker", { MM_FFMPEG: gate.ffmpeg });
    const token = await proUser(c, api.url, "kill@example.com", 5);
    const job = await submitAs(api.url, token, rig.track("short.wav"));
    await waitFor(() => gate.arrivals() > 0 && rowOf(c, job.id)?.status === "running", {
      what: `job ${job.id} running on w1 (at its gate)`,
      timeoutMs: 120_000,
      detail: () => rowOf(c, job.id),
    });
    expect(rowOf(c, job.id)?.worker_id).toBe(nodeIdOf(w1));

    const w2 = await c.start("w2", "worker");
    await w2.waitLine((l) => l.event === "node_registered", "registered");
    await w1.kill();
    gate.killWaiting(); // w1's ffmpeg wrapper, orphaned by the kill
    await w2.waitLine(
      (l) => l.event === "jobs_swept" && Number(l.requeued) >= 1,
      "the dead node's job swept",
    );
    await waitFor(
      () => {
        const r = rowOf(c, job.id);
        if (r && ["failed", "cancelled"].includes(r.status))
          throw new Error(`job ended ${JSON.stringify(r)}`);
        return r?.status === "done";
      },
      { what: `job ${job.id} done on w2`, timeoutMs: 240_000, intervalMs: 100 },
    );
    const row = rowOf(c, job.id);
    expect(row).toMatchObject({ status: "done", attempts: 2, worker_id: nodeIdOf(w2), cost: 1 });
    expect(await resultMastersOf(c, rig.s3(), job.id)).toHaveLength(1);
    expect(ledgerOfJob(c, job.id)).toEqual([{ reason: "charge", delta: -1 }]);
    const res = await fetch(`${api.url}${job.statusUrl.replace("?", "/result?")}`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect(unhandled(c)).toEqual([]);
  }, 600_000);

  it("SSE on an api node shows a worker node's progress; a cancel on the api node stops the worker's ffmpeg", async () => {
    const c = await start();
    const api = await c.start("api", "api");
    const worker = await c.start("worker", "worker", { MM_FFMPEG: slowFfmpeg() });
    const token = await proUser(c, api.url, "sse@example.com", 5);

    // SSE on the api node, the job on the worker node.
    const job = await submitAs(api.url, token, rig.track("longer.wav"));
    const seen = await readSse(api.url, job, () => false);
    const progress = seen.filter((e) => e.event === "progress").map((e) => Number(e.data.progress));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ event: "state", data: { status: "done" } });
    expect(rowOf(c, job.id)?.worker_id).toBe(nodeIdOf(worker));

    // A cancel on the api node reaches the worker node's running ffmpeg.
    const doomed = await submitAs(api.url, token, rig.track("longer.wav"));
    await readSse(api.url, doomed, (e) => e.event === "progress" && Number(e.data.progress) > 0);
    // The first progress can come from the in-process analysis before the chain's ffmpeg has started (on one
    // core it does): wait for the worker node's ffmpeg itself, then cancel.
    await waitFor(() => processesMatching(worker.dataDir).length > 0, {
      what: "the worker node's ffmpeg to run",
      timeoutMs: 60_000,
    });
    const res = await fetch(`${api.url}${doomed.statusUrl.replace("?", "/cancel?")}`, { method: "POST" });
    expect(res.status).toBe(200);
    await waitFor(() => processesMatching(worker.dataDir).length === 0, {
      what: "the worker node's ffmpeg to be gone",
      timeoutMs: 60_000,
      detail: () => processesMatching(worker.dataDir),
    });
    expect(rowOf(c, doomed.id)?.status).toBe("cancelled");
    expect(ledgerOfJob(c, doomed.id)).toEqual([
      { reason: "charge", delta: -1 },
      { reason: "refund", delta: 1 },
    ]);
    // The worker is free again: nothing of the cancelled job is left running or re-queued.
    expect(worker.alive()).toBe(true);
    expect(unhandled(c)).toEqual([]);
  }, 600_000);
});

type Sse = { event: string; data: Record<string, unknown> };

/** Reads the job's SSE stream on `url` until a final state or `until` matches; the events seen. */
async function readSse(url: string, job: ClusterJob, until: (e: Sse) => boolean): Promise<Sse[]> {
  const ctl = new AbortController();
  const res = await fetch(`${url}${job.statusUrl.replace("?", "/events?")}`, { signal: ctl.signal });
  expect(res.status).toBe(200);
  const out: Sse[] = [];
  const decoder = new TextDecoder();
  let buf = "";
  try {
    for await (const chunk of res.body as ReadableStream<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        const e = { event, data: JSON.parse(data) as Record<string, unknown> };
        out.push(e);
        const final = e.event === "state" && ["done", "failed", "cancelled"].includes(String(e.data.status));
        if (final || until(e)) return out;
      }
    }
  } finally {
    ctl.abort();
  }
  return out;
}
