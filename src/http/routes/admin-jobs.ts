// Admin: jobs (issue 14 point 5). GET /api/admin/jobs (filters: status, user, source, q; pages by `before`),
// GET /api/admin/jobs/events (SSE: every job change, with the queue's counts), GET /api/admin/jobs/:id
// (settings, analysis before/after, error with ffmpeg's stderr tail), POST …/:id/cancel, POST …/:id/retry
// {charge} (a new job from the kept upload, charged through billing or free) and DELETE …/:id/result.
// Every action is the job service's own call, audited with the admin, the IP and the before/after state.
import { Hono } from "hono";
import { z } from "zod";
import type { AuditLog } from "../../db";
import { AppError } from "../../errors";
import {
  decodeAnalysis,
  JOB_SOURCES,
  JOB_STATUSES,
  type JobRecord,
  type JobService,
  type JobView,
  normalisePublicId,
} from "../../jobs";
import { project } from "../project";
import { type AdminEnv, adminActor } from "./admin-actor";
import { liveStream } from "./admin-sse";
import {
  AdminJobDetailSchema,
  AdminJobEventSchema,
  AdminJobListSchema,
  AdminJobSchema,
  AdminResultDeletedSchema,
} from "./schemas-admin-ops";
import { v } from "./validate";

export type AdminJobsDeps = {
  jobs: Pick<JobService, "get" | "cancel" | "retry" | "deleteResult" | "onEvent" | "counts" | "reports">;
  audit: AuditLog;
};

const ListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",") : undefined))
    .pipe(z.array(z.enum(JOB_STATUSES)).optional()),
  source: z.enum(JOB_SOURCES).optional(),
  user: z.coerce.number().int().positive().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const IdParam = z.object({ id: z.string().min(1).max(64) });
const RetryBody = z.strictObject({ charge: z.boolean() });

type Line = z.infer<typeof AdminJobSchema>;

const fromRecord = (r: JobRecord): Line => ({
  id: r.publicId,
  status: r.status,
  kind: r.kind,
  source: r.source,
  user: r.userId,
  owner: r.ownerKey,
  original_name: r.originalName,
  progress: r.progress,
  stage: r.stage,
  cost: r.cost,
  attempts: r.attempts,
  error_code: r.errorCode,
  input_kept: r.inputPath !== null,
  result_bytes: r.resultBytes,
  audio_duration_s: r.audioDurationS,
  realtime_factor: r.realtimeFactor,
  created_at: r.createdAt,
  started_at: r.startedAt,
  finished_at: r.finishedAt,
  expires_at: r.expiresAt,
});

export function adminJobsRoutes(d: AdminJobsDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  const record = (id: string): JobRecord => {
    const pid = normalisePublicId(id);
    const rec = pid ? d.jobs.reports.findRecord(pid) : undefined;
    if (!rec) throw new AppError("job_not_found", 404, { id });
    return rec;
  };
  const line = (id: string) => project(AdminJobSchema, fromRecord(record(id)));

  r.get("/jobs", v("query", ListQuery), (c) => {
    const q = c.req.valid("query");
    const rows = d.jobs.reports.searchRecords({
      status: q.status,
      source: q.source,
      userId: q.user,
      text: q.q,
      beforeId: q.before,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const next = rows.length > q.limit ? (page.at(-1)?.id ?? null) : null;
    return c.json(project(AdminJobListSchema, { jobs: page.map(fromRecord), next }));
  });

  r.get("/jobs/events", (c) =>
    liveStream(c, {
      first: () => ({ event: "hello", data: project(AdminJobEventSchema, { job: null, ...counts() }) }),
      subscribe: (push) =>
        d.jobs.onEvent((e) => {
          // Progress ticks are many; the list shows them, so they pass too (SSE is per admin tab).
          const rec = d.jobs.reports.findRecord(e.job.id);
          if (rec) push(e.type, project(AdminJobEventSchema, { job: fromRecord(rec), ...counts() }));
        }),
    }),
  );
  const counts = () => {
    const n = d.jobs.counts();
    return { queued: n.queued, running: n.running };
  };

  r.get("/jobs/:id", v("param", IdParam), (c) => {
    const rec = record(c.req.valid("param").id);
    let settings: Record<string, unknown> = {};
    try {
      settings = JSON.parse(rec.params) ?? {};
    } catch {
      // an unreadable params column shows as no settings
    }
    return c.json(
      project(AdminJobDetailSchema, {
        job: fromRecord(rec),
        settings,
        priority: rec.priority,
        batch: rec.batchId,
        lang: rec.lang,
        input_bytes: rec.inputBytes,
        result_name: rec.resultName,
        analysis_before: decodeAnalysis(rec.analysisBefore),
        analysis_after: decodeAnalysis(rec.analysisAfter),
        error_detail: rec.errorDetail,
      }),
    );
  });

  const audited = (c: Parameters<typeof adminActor>[0], action: string, before: Line, after: unknown) =>
    d.audit.record({
      ...adminActor(c),
      action,
      target: `job:${before.id}`,
      before: { status: before.status, cost: before.cost },
      after,
    });

  r.post("/jobs/:id/cancel", v("param", IdParam), (c) => {
    const before = line(c.req.valid("param").id);
    const actor = adminActor(c);
    const view: JobView = d.jobs.cancel(before.id, actor.actor);
    audited(c, "job_cancel", before, { status: view.status });
    return c.json(line(view.id));
  });

  r.post("/jobs/:id/retry", v("param", IdParam), v("json", RetryBody), (c) => {
    const before = line(c.req.valid("param").id);
    const { charge } = c.req.valid("json");
    const view = d.jobs.retry(before.id, { charge, actor: adminActor(c).actor });
    audited(c, "job_retry", before, { retry: view.id, charged: charge, cost: view.cost });
    return c.json(line(view.id), 201);
  });

  r.delete("/jobs/:id/result", v("param", IdParam), (c) => {
    const before = line(c.req.valid("param").id);
    const { bytes } = d.jobs.deleteResult(before.id, adminActor(c).actor);
    audited(c, "job_result_delete", before, { status: "expired", bytes });
    return c.json(project(AdminResultDeletedSchema, { id: before.id, bytes }));
  });

  return r;
}
