// Schemas of the answers that are not about one job: catalogue, version, health, metrics, admin, i18n and
// the OpenAPI document itself. Strict like schemas.ts; the internal types they mirror are checked key for
// key at compile time, so a field added to Health or Metrics must be documented here first.
import { z } from "zod";
import { MasterSettingsSchema } from "../../audio";
import type { Health, Metrics } from "../../ops";
import type { MaintenanceState } from "../../settings";
import type { SameKeys } from "../project";

const CatalogueEntry = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  target_lufs: z.number(),
  ceiling_dbtp: z.number(),
});
const StyleEntry = CatalogueEntry.extend({
  aliases: z.array(z.string()).describe("Other names accepted for this style (the original's)"),
});

export const StylesSchema = z.strictObject({
  styles: z
    .record(z.string(), StyleEntry.extend({ lufs: z.number() }))
    .describe("By id; `lufs` is the original's shape ({styles:{<style>:{lufs}}})"),
  list: z.array(StyleEntry),
});

export const PresetsSchema = z.strictObject({
  presets: z.record(z.string(), z.number()).describe("Target LUFS by id (the original's shape)"),
  list: z.array(CatalogueEntry),
});

export const FormatsSchema = z.strictObject({
  formats: z.array(
    z.strictObject({
      id: z.string(),
      extension: z.string(),
      mime: z.string(),
      lossy: z.boolean(),
      bit_depth: z.number().nullable(),
      default_bitrate: z.number().nullable(),
    }),
  ),
});

/** GET /api/v2/chain/default: a settings object POST /api/v2/master accepts back as `settings`. */
export const ChainSchema = z.strictObject({
  version: z.literal("v2"),
  style: z.string(),
  target_lufs: z.number(),
  ceiling_dbtp: z.number(),
  format: z.string(),
  sample_rate: z.union([z.literal("keep"), z.number()]),
  modules: MasterSettingsSchema.shape.modules.unwrap(),
});

export const VersionSchema = z.strictObject({
  version: z.string(),
  build_date: z.string().describe("UTC date (YYYY-MM-DD) the running process started, as the original"),
});

export const HealthSchema = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  uptime_since: z.string(),
  uptime_s: z.number(),
  database: z.enum(["ok", "error"]),
  database_error: z.enum(["unreadable", "busy", "full"]).nullable().describe("Why the database is error"),
  disk: z.strictObject({ free_mb: z.number(), status: z.enum(["ok", "low", "full"]) }),
  ffmpeg: z.strictObject({ status: z.enum(["ok", "missing"]), version: z.string().nullable() }),
  bot: z.enum(["running", "disabled", "error"]),
  maintenance: z.boolean(),
  maintenance_message: z.string().nullable(),
  jobs: z.strictObject({ running: z.number(), queued: z.number(), total_cached: z.number() }),
  jobs_by_status: z.record(z.string(), z.number()),
  roles: z
    .array(z.enum(["api", "worker", "bot", "scheduler"]))
    .describe("What this node runs (serve --role)"),
  storage: z.enum(["local", "s3"]).describe("Where uploads and results live"),
  node: z
    .strictObject({ id: z.string(), leads: z.array(z.enum(["bot", "scheduler"])) })
    .nullable()
    .describe("On Postgres: this node's id (host:pid:random) and the leader locks it holds; null on SQLite"),
  worker_nodes: z
    .array(
      z.strictObject({
        id: z.string(),
        roles: z.array(z.enum(["api", "worker", "bot", "scheduler"])),
        host: z.string(),
        version: z.string(),
        heartbeat_at: z.number().describe("Unix ms of its last beat"),
      }),
    )
    .nullable()
    .describe("On an API node on Postgres: the live nodes running workers; null otherwise"),
  problems: z.array(z.string()),
});
const _health: SameKeys<Health, z.infer<typeof HealthSchema>> = true;

export const MetricsSchema = z.strictObject({
  version: z.string(),
  uptime_seconds: z.number(),
  requests_total: z.number(),
  errors_4xx_total: z.number(),
  errors_5xx_total: z.number(),
  jobs_running: z.number(),
  jobs_queued: z.number(),
  jobs_total: z.number(),
  jobs_by_status: z.record(z.string(), z.number()),
  disk_free_mb: z.number(),
  rss_bytes: z.number(),
  heap_used_bytes: z.number(),
  healthy: z.union([z.literal(0), z.literal(1)]),
  orders_by_status: z.record(z.string(), z.number()).describe("Payment orders by state"),
  revenue: z
    .record(z.string(), z.number())
    .describe("Still-paid money by currency (whole units): succeeded orders less their partial refunds"),
  paid: z.record(z.string(), z.number()).describe("Money ever paid by currency (whole units)"),
  refunds: z.record(z.string(), z.number()).describe("Money ever refunded by currency (whole units)"),
});
const _metrics: SameKeys<Metrics, z.infer<typeof MetricsSchema>> = true;

export const MaintenanceSchema = z.strictObject({
  on: z.boolean(),
  message: z.string(),
  since: z.number().nullable(),
  by: z.string().nullable(),
});
const _maintenance: SameKeys<MaintenanceState, z.infer<typeof MaintenanceSchema>> = true;

const DaySchema = z.strictObject({
  date: z.string(),
  live: z.boolean().describe("true for today (computed now), false for a stored day"),
  jobsDone: z.number(),
  jobsFailed: z.number(),
  jobsCancelled: z.number(),
  usersNew: z.number(),
  usersActive: z.number(),
  audioMinutes: z.number(),
  meanRealtimeFactor: z.number().nullable(),
  ordersCreated: z.number().describe("Payment orders created that day"),
  ordersPaid: z.number().describe("Orders paid that day (refunded later included)"),
  revenueMinor: z
    .record(z.string(), z.number())
    .describe("Money paid that day by currency, minor units (kopecks; Stars ×100)"),
  refundsMinor: z.record(z.string(), z.number()).describe("Money refunded that day by currency, minor units"),
});

export const AdminStatsSchema = z.strictObject({
  jobs: z.strictObject({ queued: z.number(), running: z.number() }),
  maintenance: MaintenanceSchema,
  flags: z.record(z.string(), z.boolean()),
  days: z.array(DaySchema),
  payments: z
    .strictObject({
      orders_by_status: z.record(z.string(), z.number()),
      revenue: z
        .record(z.string(), z.number())
        .describe("Still-paid money by currency (whole units): succeeded orders less their partial refunds"),
      paid: z.record(z.string(), z.number()).describe("Money ever paid by currency (whole units)"),
      refunds: z.record(z.string(), z.number()).describe("Money ever refunded by currency (whole units)"),
    })
    .describe("Payment orders (all time)"),
});

export const AdminUserBanSchema = z.strictObject({
  id: z.number().int(),
  banned: z.boolean(),
  banned_at: z.number().nullable().describe("Unix ms"),
  ban_reason: z.string().nullable(),
  sessions_ended: z.number().int().describe("Sign-in sessions the ban deleted (0 on unban)"),
  jobs_cancelled: z.number().int().describe("Queued jobs cancelled and refunded by the ban (0 on unban)"),
});

export const I18nSchema = z.record(z.string(), z.string()).describe("web_* texts and error messages by key");

export const OpenApiSchema = z.strictObject({
  openapi: z.string(),
  info: z.strictObject({ title: z.string(), version: z.string(), description: z.string() }),
  paths: z.record(z.string(), z.unknown()),
  components: z.strictObject({
    schemas: z.record(z.string(), z.unknown()),
    securitySchemes: z.record(z.string(), z.unknown()),
  }),
});

void [_health, _metrics, _maintenance];
