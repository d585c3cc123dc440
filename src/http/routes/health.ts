// GET /api/health (200 ok / 503 degraded), GET /api/metrics (flat JSON), GET /metrics (Prometheus).
import { Hono } from "hono";
import { buildMetrics, toPrometheus } from "../../ops";
import type { HttpDeps } from "../deps";

export function healthRoutes(deps: HttpDeps) {
  const r = new Hono();
  r.get("/api/health", async (c) => {
    const h = await deps.health();
    c.header("Cache-Control", "no-store");
    return c.json(h, h.status === "ok" ? 200 : 503);
  });

  r.get("/api/metrics", async (c) => {
    const m = buildMetrics(await deps.health(), deps.counters);
    return c.json(m);
  });

  r.get("/metrics", async (c) => {
    const m = buildMetrics(await deps.health(), deps.counters);
    return c.text(toPrometheus(m), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return r;
}
