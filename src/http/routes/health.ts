// GET /api/health (200 ok / 503 degraded), GET /api/metrics (flat JSON), GET /metrics (Prometheus),
// GET /api/version (the original's shape). JSON answers are projected onto their documented schemas.
import { Hono } from "hono";
import { buildMetrics, toPrometheus } from "../../ops";
import type { HttpDeps } from "../deps";
import { project } from "../project";
import type { RouteDoc } from "./openapi";
import { HealthSchema, MetricsSchema } from "./schemas-info";

export function healthRoutes(deps: HttpDeps) {
  const r = new Hono();
  r.get("/api/health", async (c) => {
    const h = await deps.health();
    c.header("Cache-Control", "no-store");
    return c.json(project(HealthSchema, h), h.status === "ok" ? 200 : 503);
  });

  r.get("/api/metrics", async (c) => {
    const m = buildMetrics(await deps.health(), deps.counters, deps.orders?.());
    return c.json(project(MetricsSchema, m));
  });

  // The original reports the process start date as its build date; so do we (clients only display it).
  const buildDate = deps.startedAt.toISOString().slice(0, 10);
  r.get("/api/version", (c) => c.json({ version: deps.version, build_date: buildDate }));

  r.get("/metrics", async (c) => {
    const m = buildMetrics(await deps.health(), deps.counters, deps.orders?.());
    return c.text(toPrometheus(m), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const HEALTH_DOCS: RouteDoc[] = [
  { method: "GET", path: "/api/version", summary: "Version (the original's shape)", ok: { 200: "Version" } },
  {
    method: "GET",
    path: "/api/health",
    summary: "Health (503 when degraded)",
    ok: { 200: "Health", 503: "Health" },
  },
  { method: "GET", path: "/api/metrics", summary: "Metrics (JSON)", ok: { 200: "Metrics" } },
  { method: "GET", path: "/metrics", summary: "Metrics (Prometheus text)", ok: { 200: "text" } },
];
