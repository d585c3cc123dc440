// Admin: the dashboard (issue 14 point 2). GET /api/admin/dashboard — users (total, new, active, banned),
// paid tiers in force, revenue (30 days / all time, refunds taken off), jobs now and in the last 24 h, the
// mean realtime factor, free disk, error rates, and 30 stats_daily rows for the charts (today live).
// GET /api/admin/dashboard/events — the live part again by SSE: at once, then on every job state change
// (at most once a second) and every few seconds regardless.
import { Hono } from "hono";
import type { UserTotals } from "../../accounts";
import type { PaymentStats } from "../../billing";
import type { JobService } from "../../jobs";
import type { DailyStats } from "../../ops";
import { project } from "../project";
import type { AdminEnv } from "./admin-actor";
import { liveStream } from "./admin-sse";
import { AdminDashboardSchema, AdminLiveSchema } from "./schemas-admin-ops";

export type AdminDashboardDeps = {
  jobs: Pick<JobService, "counts" | "onEvent" | "reports">;
  stats: Pick<DailyStats, "recent">;
  /** Users' head counts with a window starting at `since` (accounts). */
  users: (since: number, now: number) => UserTotals;
  /** Paid orders since `since` (null: all time), billing's analytics. */
  payments?: (since: number | null) => PaymentStats;
  freeDiskMb: () => number;
  diskLowMb: () => number;
  counters: { requests: number; errors5xx: number };
  maintenance: () => boolean;
  now?: () => number;
  /** How often the SSE stream sends the figures without a job change (default 5 s). */
  tickMs?: number;
};

const DAY = 86_400_000;

/** Net paid revenue by currency in whole units (minor / 100; Stars are stored ×100 too). */
const revenue = (p: PaymentStats | undefined): Record<string, number> =>
  Object.fromEntries((p?.paid ?? []).map((t) => [t.currency, (t.amountMinor - t.refundedMinor) / 100]));

export function adminDashboardRoutes(d: AdminDashboardDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  const now = d.now ?? Date.now;
  const live = () => {
    const t = now();
    const u = d.users(t - 30 * DAY, t);
    const counts = d.jobs.counts();
    const day = d.jobs.reports.statsSince(t - DAY);
    const out = d.jobs.reports.outcomesSince(t - DAY);
    return project(AdminLiveSchema, {
      at: t,
      users: { total: u.total, new_30d: u.new, active_30d: u.active, banned: u.banned },
      subscriptions: { active: u.subscribed },
      revenue: { d30: revenue(d.payments?.(t - 30 * DAY)), total: revenue(d.payments?.(null)) },
      jobs: { queued: counts.queued, running: counts.running, done_24h: day.done, failed_24h: day.failed },
      realtime_factor_30d: d.jobs.reports.statsSince(t - 30 * DAY).mean_realtime_factor,
      disk: { free_mb: d.freeDiskMb(), low_mb: d.diskLowMb() },
      errors: {
        job_failure_rate_24h: out.finished > 0 ? out.failed / out.finished : null,
        http_5xx: d.counters.errors5xx,
        http_requests: d.counters.requests,
      },
      maintenance: d.maintenance(),
    });
  };

  r.get("/dashboard", (c) => {
    const days = d.stats.recent(30, now()).map((s) => ({
      date: s.date,
      live: s.live,
      jobs_done: s.jobsDone,
      jobs_failed: s.jobsFailed,
      jobs_cancelled: s.jobsCancelled,
      users_new: s.usersNew,
      users_active: s.usersActive,
      audio_minutes: s.audioMinutes,
      mean_realtime_factor: s.meanRealtimeFactor,
    }));
    return c.json(project(AdminDashboardSchema, { live: live(), days }));
  });

  r.get("/dashboard/events", (c) =>
    liveStream(c, {
      first: () => ({ event: "live", data: live() }),
      subscribe(push) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        // A burst of job changes (a batch finishing) becomes one update a second.
        const soon = () => {
          timer ??= setTimeout(() => {
            timer = undefined;
            push("live", live());
          }, 1000);
        };
        const off = d.jobs.onEvent((e) => {
          if (e.type === "state") soon();
        });
        const tick = setInterval(() => push("live", live()), d.tickMs ?? 5000);
        return () => {
          off();
          clearInterval(tick);
          if (timer) clearTimeout(timer);
        };
      },
    }),
  );
  return r;
}
