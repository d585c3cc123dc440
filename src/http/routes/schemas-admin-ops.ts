// Answer schemas of the admin panel's operations routes: dashboard, jobs, settings (+ tiers and plans),
// backups and the audit log. Strict, so a field not documented here cannot slip into an answer.
import { z } from "zod";
import { TierSchema } from "../../accounts";
import { AnalysisSchema } from "./schemas";
import { MaintenanceSchema } from "./schemas-info";

const money = z.record(z.string(), z.number()).describe("Whole currency units by currency (RUB, XTR…)");

export const AdminDayRowSchema = z.strictObject({
  date: z.string(),
  live: z.boolean(),
  jobs_done: z.number(),
  jobs_failed: z.number(),
  jobs_cancelled: z.number(),
  users_new: z.number(),
  users_active: z.number(),
  audio_minutes: z.number(),
  mean_realtime_factor: z.number().nullable(),
});

/** The dashboard's live figures (also each SSE event's data). */
export const AdminLiveSchema = z.strictObject({
  at: z.number(),
  users: z.strictObject({
    total: z.number(),
    new_30d: z.number(),
    active_30d: z.number(),
    banned: z.number(),
  }),
  subscriptions: z.strictObject({ active: z.number() }),
  revenue: z.strictObject({ d30: money, total: money }),
  jobs: z.strictObject({
    queued: z.number(),
    running: z.number(),
    done_24h: z.number(),
    failed_24h: z.number(),
  }),
  realtime_factor_30d: z.number().nullable().describe("Mean seconds of audio mastered per wall second"),
  disk: z.strictObject({ free_mb: z.number(), low_mb: z.number() }),
  errors: z.strictObject({
    job_failure_rate_24h: z.number().nullable().describe("Failed / finished jobs in the last 24 h"),
    http_5xx: z.number(),
    http_requests: z.number(),
  }),
  maintenance: z.boolean(),
});

export const AdminDashboardSchema = z.strictObject({
  live: AdminLiveSchema,
  days: z.array(AdminDayRowSchema).describe("Up to 30 UTC days, newest first (today live)"),
});

export const AdminJobSchema = z.strictObject({
  id: z.string(),
  status: z.string(),
  kind: z.string(),
  source: z.string(),
  user: z.number().nullable().describe("The owner's internal user id (null: a guest)"),
  owner: z.string(),
  original_name: z.string(),
  progress: z.number(),
  stage: z.string().nullable(),
  cost: z.number(),
  attempts: z.number(),
  error_code: z.string().nullable(),
  input_kept: z.boolean().describe("The upload is still on disk (a retry is possible)"),
  result_bytes: z.number().nullable(),
  audio_duration_s: z.number().nullable(),
  realtime_factor: z.number().nullable(),
  created_at: z.number(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
  expires_at: z.number().nullable(),
});

export const AdminJobListSchema = z.strictObject({
  jobs: z.array(AdminJobSchema),
  next: z.number().nullable().describe("Pass as `before` for the next page"),
});

export const AdminJobDetailSchema = z.strictObject({
  job: AdminJobSchema,
  settings: z.record(z.string(), z.unknown()),
  priority: z.number(),
  batch: z.string().nullable(),
  lang: z.string(),
  input_bytes: z.number().nullable(),
  result_name: z.string().nullable(),
  analysis_before: AnalysisSchema.nullable(),
  analysis_after: AnalysisSchema.nullable(),
  error_detail: z.string().nullable().describe("The error and ffmpeg's stderr tail"),
});

export const AdminJobEventSchema = z.strictObject({
  job: AdminJobSchema.nullable().describe("null in the first event (the counts only)"),
  queued: z.number(),
  running: z.number(),
});

export const AdminResultDeletedSchema = z.strictObject({ id: z.string(), bytes: z.number() });

export const RuntimeSettingSchema = z.strictObject({
  key: z.string(),
  env: z.string(),
  group: z.string(),
  secret: z.boolean(),
  value: z.string().nullable().describe("null for a secret (write-only)"),
  default: z.string().nullable(),
  overridden: z.boolean(),
  set: z.boolean(),
  updated_at: z.number().nullable(),
});

export const AdminFlagSchema = z.strictObject({
  name: z.string(),
  on: z.boolean(),
  routes: z.array(z.string()),
});

export const AdminSettingsSchema = z.strictObject({
  values: z.array(RuntimeSettingSchema),
  flags: z.array(AdminFlagSchema),
  maintenance: MaintenanceSchema,
});

export const AdminSentSchema = z.strictObject({ sent: z.literal(true), to: z.string() });

export const AdminTiersSchema = z.strictObject({
  tiers: z.array(TierSchema),
  /** What the editor may offer: the editable fields and the ids each list field accepts. */
  choices: z.strictObject({
    fields: z.array(z.string()),
    periods: z.array(z.string()),
    styles: z.array(z.string()),
    formats: z.array(z.string()),
    modules: z.array(z.string()),
  }),
});

export const AdminPlanSchema = z.strictObject({
  key: z.string(),
  kind: z.string(),
  tier: z.string().nullable(),
  period_days: z.number(),
  tokens: z.number(),
  amount_minor: z.number(),
  currency: z.string(),
  stars: z.number().nullable(),
  label_ru: z.string(),
  label_en: z.string(),
  active: z.boolean(),
  sort: z.number(),
});
export const AdminPlansSchema = z.strictObject({
  plans: z.array(AdminPlanSchema),
  /** What the editor may offer: the editable fields and the tiers a subscription plan may sell. */
  choices: z.strictObject({ fields: z.array(z.string()), tiers: z.array(z.string()) }),
});

export const AdminBackupSchema = z.strictObject({
  name: z.string(),
  at: z.number(),
  bytes: z.number(),
  delete_after: z.number().describe("When retention deletes it (unix ms)"),
});

export const AdminBackupsSchema = z.strictObject({
  retention_days: z.number(),
  schedule: z.string().describe("MM_CRON_BACKUP"),
  backups: z.array(AdminBackupSchema),
});

export const AdminAuditEntrySchema = z.strictObject({
  id: z.number(),
  ts: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.unknown(),
  before: z.unknown(),
  after: z.unknown(),
});

export const AdminAuditSchema = z.strictObject({
  entries: z.array(AdminAuditEntrySchema),
  next: z.number().nullable(),
});
