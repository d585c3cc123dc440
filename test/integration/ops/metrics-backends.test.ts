// /metrics (Prometheus) and /api/metrics (JSON) on both database backends: the same running service with
// the same jobs and orders behind it — one job done, one running (its ffmpeg held at a gate the test
// keeps closed, so it is still running however fast or slow the machine), one queued behind it (one
// worker), one cancelled; one order paid through the fake YooKassa and one pending — answers the same metric families
// with the same label sets and the same job and order figures on the SQLite file and on Postgres.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { loadConfig } from "../../../src/config";
import { silentLogger } from "../../../src/log";
import type { Metrics } from "../../../src/ops/metrics";
import { startService } from "../../../src/service";
import { gatedFfmpeg } from "../../e2e/gated-ffmpeg";
import { FakeYooKassa } from "../../fakes/yookassa";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";
import { type ApiBackend, postgresApi, sqliteApi } from "../api/backends";
import { form, JOB_TEST_MS, JOB_WAIT_MS } from "../api/harness";
import { account } from "../api/signed-in";

setDefaultTimeout(JOB_TEST_MS);

type Family = { name: string; type: string; metrics: { value?: string; labels?: Record<string, string> }[] };
/** What one backend answered: the JSON and the Prometheus families by name. */
type Seen = { json: Metrics; families: Map<string, Family> };

const backends: ApiBackend[] = [sqliteApi, postgresApi("the /metrics test")];
const seen = new Map<string, Seen>();
let yk: FakeYooKassa;
let fx: string;
let song: string;
const dirs: string[] = [];

beforeAll(async () => {
  yk = new FakeYooKassa();
  fx = await tempDir("mm-metrics-fx-");
  song = await makeMusic(fx, { durationS: 1 });
});
afterAll(async () => {
  await yk.stop();
  for (const d of [fx, ...dirs]) await cleanup(d);
});

const EXPECTED_JOBS = { done: 1, running: 1, queued: 1, cancelled: 1 };
/** Families whose samples depend on the rows only (the rest are this process's: uptime, memory, disk…). */
const ROW_FAMILIES = ["magic_master_jobs", "magic_master_orders", "magic_master_revenue_total"];

for (const b of backends)
  describe.skipIf(b.skip)(`/metrics (${b.name})`, () => {
    it("reports queue depth, jobs by status, orders and revenue from the rows", async () => {
      const dir = await tempDir("mm-metrics-");
      const gate = gatedFfmpeg();
      gate.open();
      dirs.push(dir);
      const config = loadConfig({
        PORT: "0",
        MM_DATA_DIR: dir,
        ...b.env(),
        MM_WORKERS: "1",
        MM_RATE_LIMIT_PER_MIN: "0",
        MM_FFMPEG: gate.ffmpeg,
        MM_PUBLIC_URL: "https://master.example.test",
        ...yk.serviceEnv(),
        MM_CRON_RECONCILE: "off",
      });
      const s = await startService(config, silentLogger);
      expect(s.backend.kind).toBe(b.kind);
      yk.webhookUrl = `${s.url}/api/payments/webhook`;
      try {
        const submit = async () => {
          const res = await fetch(`${s.url}/api/v2/master`, {
            method: "POST",
            body: await form([{ name: "song.wav", data: song }]),
          });
          expect(res.status).toBe(202);
          return (await res.json()) as { id: string; cancel_url: string };
        };
        const status = (id: string) => s.jobs.get(id)?.status;
        const done = await submit();
        await waitFor(() => status(done.id) === "done", {
          what: "the short job done",
          timeoutMs: JOB_WAIT_MS,
        });
        // The next render waits at the gate until the end: that job stays running.
        gate.close();
        const arrived = gate.arrivals();
        const running = await submit();
        await waitFor(() => status(running.id) === "running" && gate.arrivals() > arrived, {
          what: "the second job running, its ffmpeg held at the gate",
          timeoutMs: JOB_WAIT_MS,
        });
        // One worker, busy with the held job: these two stay queued; one of them is cancelled.
        const queued = await submit();
        const cancelled = await submit();
        // The answer's links are built on MM_PUBLIC_URL; the service itself listens on loopback.
        const cancel = new URL(cancelled.cancel_url);
        expect((await fetch(`${s.url}${cancel.pathname}${cancel.search}`, { method: "POST" })).status).toBe(
          200,
        );
        expect([status(queued.id), status(cancelled.id)]).toEqual(["queued", "cancelled"]);

        const buyer = await account(s.url, `metrics-${b.kind}@example.com`);
        const order = async (plan: string) => {
          const res = await fetch(`${s.url}/api/payments/create`, {
            method: "POST",
            headers: { ...buyer.headers, "content-type": "application/json" },
            body: JSON.stringify({ plan }),
          });
          expect(res.status).toBe(200);
          return (await res.json()) as { payment_id: string };
        };
        yk.pay((await order("tokens_5")).payment_id);
        await yk.settled();
        await order("tokens_10"); // left pending

        // Health (behind the metrics) is shared for a moment between callers: wait for the new figures.
        const json = await waitFor(
          async () => {
            const m = (await (await fetch(`${s.url}/api/metrics`)).json()) as Metrics;
            return m.orders_by_status.succeeded === 1 && m.jobs_queued === 1 && m.jobs_running === 1 && m;
          },
          { what: "the metrics to show the jobs and orders", timeoutMs: JOB_WAIT_MS, intervalMs: 200 },
        );
        expect(json.jobs_by_status).toMatchObject(EXPECTED_JOBS);
        expect(json.orders_by_status).toMatchObject({ succeeded: 1, pending: 1 });
        expect(json.revenue).toEqual({ RUB: 500 });
        expect(json.paid).toEqual({ RUB: 500 });

        const res = await fetch(`${s.url}/metrics`);
        expect(res.status).toBe(200);
        const families = new Map(
          (parsePrometheusTextFormat(await res.text()) as Family[]).map((f) => [f.name, f]),
        );
        const sample = (name: string, label: string, value: string) =>
          families.get(name)?.metrics.find((m) => m.labels?.[label] === value)?.value;
        for (const [st, n] of Object.entries(EXPECTED_JOBS))
          expect(sample("magic_master_jobs", "status", st)).toBe(String(n));
        expect(sample("magic_master_orders", "status", "succeeded")).toBe("1");
        expect(sample("magic_master_orders", "status", "pending")).toBe("1");
        expect(sample("magic_master_revenue_total", "currency", "RUB")).toBe("500");
        expect(families.get("magic_master_healthy")?.metrics[0]?.value).toBe(json.healthy === 1 ? "1" : "0");
        seen.set(b.name, { json, families });
      } finally {
        await s.stop();
        gate.killWaiting();
      }
    });
  });

describe.skipIf(backends.some((b) => b.skip))("/metrics on both backends", () => {
  it("the same families, types and labels, and the same job and order samples", () => {
    const [lite, pg] = [seen.get("SQLite"), seen.get("Postgres")];
    if (!lite || !pg) throw new Error("a backend's metrics test did not finish (see its failure above)");
    const shape = (m: Map<string, Family>) =>
      [...m.values()].map((f) => ({ name: f.name, type: f.type, labels: f.metrics.map((x) => x.labels) }));
    expect(shape(pg.families)).toEqual(shape(lite.families));
    for (const name of ROW_FAMILIES) expect(pg.families.get(name)).toEqual(lite.families.get(name));
    expect(Object.keys(pg.json).sort()).toEqual(Object.keys(lite.json).sort());
    for (const k of ["jobs_by_status", "jobs_queued", "jobs_running", "orders_by_status", "revenue"] as const)
      expect(pg.json[k]).toEqual(lite.json[k]);
  });
});
