// Flat metrics (JSON) and their Prometheus text rendering. Pure: takes numbers, returns text.

import type { Health } from "./health";

export type Metrics = {
  version: string;
  uptime_seconds: number;
  requests_total: number;
  errors_4xx_total: number;
  errors_5xx_total: number;
  jobs_running: number;
  jobs_queued: number;
  jobs_total: number;
  jobs_by_status: Record<string, number>;
  disk_free_mb: number;
  rss_bytes: number;
  heap_used_bytes: number;
  healthy: 0 | 1;
  /** Payment orders by state (pending, succeeded, canceled, refunded). */
  orders_by_status: Record<string, number>;
  /** Money still paid by currency, whole units: succeeded orders less their partial refunds. */
  revenue: Record<string, number>;
  /** Money ever paid by currency, whole units (refunded orders included; only grows). */
  paid: Record<string, number>;
  /** Money ever refunded by currency, whole units (full and partial refunds; only grows). */
  refunds: Record<string, number>;
};

/** What billing reports about orders (its OrderCounts): counts by state, sums in minor units. */
export type OrderFigures = {
  byStatus: Record<string, number>;
  revenueMinor: Record<string, number>;
  paidMinor: Record<string, number>;
  refundedMinor: Record<string, number>;
};
const NO_ORDERS: OrderFigures = { byStatus: {}, revenueMinor: {}, paidMinor: {}, refundedMinor: {} };

/** Minor units by currency → whole units (Stars are stored ×100 like kopecks). */
const whole = (m: Record<string, number>) =>
  Object.fromEntries(Object.entries(m).map(([c, v]) => [c, v / 100]));

/** Orders by state and money in whole currency units (metrics, admin stats). */
export function paymentFigures(o: OrderFigures = NO_ORDERS): {
  orders_by_status: Record<string, number>;
  revenue: Record<string, number>;
  paid: Record<string, number>;
  refunds: Record<string, number>;
} {
  return {
    orders_by_status: o.byStatus,
    revenue: whole(o.revenueMinor),
    paid: whole(o.paidMinor),
    refunds: whole(o.refundedMinor),
  };
}

export function buildMetrics(
  h: Health,
  counters: { requests: number; errors4xx: number; errors5xx: number },
  orders: OrderFigures = NO_ORDERS,
): Metrics {
  const mem = process.memoryUsage();
  return {
    version: h.version,
    uptime_seconds: h.uptime_s,
    requests_total: counters.requests,
    errors_4xx_total: counters.errors4xx,
    errors_5xx_total: counters.errors5xx,
    jobs_running: h.jobs.running,
    jobs_queued: h.jobs.queued,
    jobs_total: h.jobs.total_cached,
    jobs_by_status: h.jobs_by_status,
    disk_free_mb: h.disk.free_mb,
    rss_bytes: mem.rss,
    heap_used_bytes: mem.heapUsed,
    healthy: h.status === "ok" ? 1 : 0,
    ...paymentFigures(orders),
  };
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Renders metrics in the Prometheus text exposition format (version 0.0.4). */
export function toPrometheus(m: Metrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: "gauge" | "counter", help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric("magic_master_build_info", "gauge", "Build version.", [[`{version="${esc(m.version)}"}`, 1]]);
  metric("magic_master_uptime_seconds", "gauge", "Seconds since the process started.", [
    ["", m.uptime_seconds],
  ]);
  metric("magic_master_http_requests_total", "counter", "HTTP requests served.", [["", m.requests_total]]);
  metric("magic_master_http_errors_total", "counter", "HTTP responses with an error status.", [
    ['{class="4xx"}', m.errors_4xx_total],
    ['{class="5xx"}', m.errors_5xx_total],
  ]);
  metric(
    "magic_master_jobs",
    "gauge",
    "Jobs in the database by status.",
    Object.entries(m.jobs_by_status).map(([s, n]) => [`{status="${esc(s)}"}`, n]),
  );
  metric("magic_master_disk_free_bytes", "gauge", "Free bytes on the data filesystem.", [
    ["", m.disk_free_mb * 1048576],
  ]);
  metric("magic_master_process_resident_memory_bytes", "gauge", "Resident set size.", [["", m.rss_bytes]]);
  metric(
    "magic_master_orders",
    "gauge",
    "Payment orders by state.",
    Object.entries(m.orders_by_status).map(([s, n]) => [`{status="${esc(s)}"}`, n]),
  );
  // Counters only grow: money paid and money refunded apiece; what is still paid is their difference
  // (the JSON's `revenue`), which falls on a refund and so is no counter.
  metric(
    "magic_master_revenue_total",
    "counter",
    "Money paid for orders (refunded ones included), in currency units.",
    Object.entries(m.paid).map(([c, v]) => [`{currency="${esc(c)}"}`, v]),
  );
  metric(
    "magic_master_refunds_total",
    "counter",
    "Money refunded (full and partial refunds), in currency units.",
    Object.entries(m.refunds).map(([c, v]) => [`{currency="${esc(c)}"}`, v]),
  );
  metric("magic_master_healthy", "gauge", "1 when /api/health reports ok.", [["", m.healthy]]);
  return `${lines.join("\n")}\n`;
}
