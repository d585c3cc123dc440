import { describe, expect, it } from "bun:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { Health } from "../../../src/ops/health";
import { buildMetrics, toPrometheus } from "../../../src/ops/metrics";

const health: Health = {
  status: "ok",
  version: '1.0.0 "quoted"',
  uptime_since: new Date(0).toISOString(),
  uptime_s: 42,
  database: "ok",
  database_error: null,
  disk: { free_mb: 1000, status: "ok" },
  ffmpeg: { status: "ok", version: "5.1" },
  bot: "disabled",
  maintenance: false,
  maintenance_message: null,
  jobs: { running: 1, queued: 2, total_cached: 5 },
  jobs_by_status: { queued: 2, running: 1, done: 2 },
  roles: ["api", "worker", "bot", "scheduler"],
  storage: "local",
  node: null,
  worker_nodes: null,
  problems: [],
};

describe("toPrometheus", () => {
  it("renders text that a real Prometheus parser reads back", () => {
    const m = buildMetrics(health, { requests: 10, errors4xx: 2, errors5xx: 1 });
    const families = parsePrometheusTextFormat(toPrometheus(m));
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get("magic_master_uptime_seconds")?.metrics[0]?.value).toBe("42");
    expect(byName.get("magic_master_http_requests_total")?.type).toBe("COUNTER");
    const jobs = byName.get("magic_master_jobs")?.metrics ?? [];
    expect(jobs.find((s) => s.labels?.status === "queued")?.value).toBe("2");
    expect(byName.get("magic_master_build_info")?.metrics[0]?.labels?.version).toBe('1.0.0 "quoted"');
    expect(byName.get("magic_master_healthy")?.metrics[0]?.value).toBe("1");
  });
});
