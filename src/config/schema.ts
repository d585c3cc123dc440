// The zod schema of every environment variable the service reads: default, unit, description.
// This file is the single source for config validation, `validate-env` and the README table.

import { cpus } from "node:os";
import { z } from "zod";

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, "must be a number")
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const csv = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const telegramIds = csv.pipe(z.array(z.string().regex(/^-?\d+$/, "must be numeric Telegram ids")));

const url = z.string().trim().pipe(z.url("must be an http(s) URL"));
const optionalUrl = z.union([z.literal(""), url]);

/** postgres:// or postgresql:// with a host and a database name (what Bun.SQL connects to). */
const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return /^postgres(ql)?:$/.test(u.protocol) && u.hostname !== "" && u.pathname.length > 1;
    } catch {
      return false;
    }
  }, "must be postgres://user:password@host:port/database");

/** A cron expression (5 or 6 fields) or "off". Checked for shape here, by croner at start-up. */
const cron = z
  .string()
  .trim()
  .refine((v) => v === "off" || /^(\S+\s+){4,5}\S+$/.test(v), "must be a cron expression or 'off'");

/** One entry per variable: the zod type (input is the raw env string), its default, whether it is secret. */
type Spec = { schema: z.ZodType; default: string; secret?: boolean; describe: string };

export const ENV_SPEC = {
  PORT: {
    schema: int(0, 65535),
    default: "8080",
    describe: "HTTP port (0 = pick a free one; the log says which)",
  },
  MM_HOST: { schema: z.string().trim().min(1), default: "127.0.0.1", describe: "Address to bind" },
  MM_DATA_DIR: {
    schema: z.string().trim().min(1),
    default: "./data",
    describe: "Data folder: database, uploads, results, backups",
  },
  MM_DATABASE_URL: {
    schema: z.union([z.literal(""), postgresUrl]),
    default: "",
    secret: true,
    describe: "Empty: the SQLite file in the data folder; postgres://user:pass@host:port/db: that Postgres",
  },
  MM_NODE_DEAD_S: {
    schema: int(3),
    default: "30",
    describe:
      "On Postgres: a node silent this long is dead; its running jobs are re-queued (beats every 1/6 of it)",
  },
  MM_LOG_LEVEL: {
    schema: z.enum(["debug", "info", "warn", "error"]),
    default: "info",
    describe: "Lowest log level written",
  },
  MM_PUBLIC_URL: {
    schema: optionalUrl,
    default: "",
    describe: "Public base URL used in links sent to users (web upload, downloads)",
  },
  MM_CORS_ORIGINS: {
    schema: csv,
    default: "",
    describe: "Comma-separated origins allowed by CORS (empty = same origin only)",
  },
  MM_BILLING: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe: "off: every job is free and unlimited; on: jobs are charged tokens from the ledger by tier",
  },
  MM_WORKERS: {
    schema: int(1, 64),
    default: String(cpus().length || 1),
    describe: "Concurrent mastering jobs (default: CPU count)",
  },
  MM_JOB_PROCESSES: {
    schema: z.enum(["auto", "1"]),
    default: "auto",
    describe:
      "ffmpeg processes one job runs side by side: auto = 2 when it runs alone, else 1; 1 = always one (one core per job, e.g. worker nodes sharing a machine)",
  },
  MM_JOB_TIMEOUT_S: {
    schema: int(1, 86400),
    default: "1800",
    describe: "A job running longer is killed and refunded",
  },
  MM_MAX_RUNNING_PER_OWNER: {
    schema: int(1, 64),
    default: "2",
    describe: "Concurrently running jobs per owner",
  },
  MM_MAX_QUEUED_PER_OWNER: {
    schema: int(1, 10_000),
    default: "20",
    describe: "Jobs one owner may have waiting in the queue; more answer 429 queue_limit_reached",
  },
  MM_RESULT_TTL_H: { schema: num(0.01, 8760), default: "72", describe: "Hours a result stays downloadable" },
  MM_UPLOAD_MAX_MB_WAV: { schema: int(1, 4096), default: "800", describe: "Upload limit for WAV/AIFF" },
  MM_UPLOAD_MAX_MB_FLAC: { schema: int(1, 4096), default: "500", describe: "Upload limit for FLAC" },
  MM_UPLOAD_MAX_MB_LOSSY: { schema: int(1, 4096), default: "300", describe: "Upload limit for MP3/M4A/OGG" },
  MM_MAX_DURATION_MIN: {
    schema: num(0.1, 1440),
    default: "30",
    describe: "Longest input accepted, minutes (as probed; decoding past the probed length fails the job)",
  },
  MM_MAX_SAMPLE_RATE: {
    schema: int(8000, 768000),
    default: "192000",
    describe: "Highest input sample rate, Hz",
  },
  MM_MAX_CHANNELS: {
    schema: int(1, 2),
    default: "2",
    describe: "Most input channels for master/preview (the chain is mono/stereo)",
  },
  MM_MAX_CHANNELS_MEASURE: {
    schema: int(1, 32),
    default: "8",
    describe: "Most input channels for analysis-only jobs (8 = 7.1 surround)",
  },
  MM_REFERRAL_BONUS_INVITEE: {
    schema: int(0, 1000),
    default: "2",
    describe: "Tokens a new user gets for signing up with a referral code (0 = none)",
  },
  MM_REFERRAL_BONUS_INVITER: {
    schema: int(0, 1000),
    default: "3",
    describe: "Tokens the inviter gets after the invitee's first successful job (0 = none)",
  },
  MM_SESSION_DAYS: {
    schema: int(1, 3650),
    default: "30",
    describe: "Days a web sign-in session lasts (logout, a password change or a ban end it at once)",
  },
  MM_RATE_LIMIT_PER_MIN: {
    schema: int(0, 100000),
    default: "120",
    describe: "Anonymous API requests per minute per IP (0 = off)",
  },
  MM_SSE_PER_IP: {
    schema: int(1, 10000),
    default: "20",
    describe: "Open progress streams (SSE) per client IP; more answer 429 too_many_streams",
  },
  MM_UPLOADS_PER_IP: {
    schema: int(1, 1000),
    default: "4",
    describe: "Concurrent uploads per client IP; more answer 429 too_many_uploads",
  },
  MM_UPLOAD_MIN_KBPS: {
    schema: int(0, 1_000_000),
    default: "8",
    describe: "An upload slower than this (KB/s) over MM_UPLOAD_RATE_WINDOW_S is cut (0 = off)",
  },
  MM_UPLOAD_RATE_WINDOW_S: {
    schema: int(1, 3600),
    default: "30",
    describe: "Window over which the minimum upload rate is measured, seconds",
  },
  MM_TRUSTED_PROXIES: { schema: csv, default: "", describe: "Proxy IPs whose X-Forwarded-For is trusted" },
  MM_FFMPEG: {
    schema: z.string().trim().min(1),
    default: "ffmpeg",
    describe: "ffmpeg executable (name on PATH or absolute path)",
  },
  MM_FFPROBE: {
    schema: z.string().trim().min(1),
    default: "ffprobe",
    describe: "ffprobe executable (name on PATH or absolute path)",
  },
  MM_DISK_LOW_MB: {
    schema: int(0),
    default: "200",
    describe: "Free disk below this marks health degraded and alerts",
  },
  MM_BOT_TOKEN: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "Telegram bot token (empty = bot off)",
  },
  MM_TELEGRAM_API_ROOT: {
    schema: url,
    default: "https://api.telegram.org",
    describe: "Telegram Bot API root (tests point it at a fake)",
  },
  MM_TELEGRAM_LOCAL_API: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe:
      "on: MM_TELEGRAM_API_ROOT is a self-hosted telegram-bot-api --local (files by local path, up to 2000 MB)",
  },
  MM_ADMIN_IDS: {
    schema: telegramIds,
    default: "",
    describe: "Telegram user ids allowed to use admin commands",
  },
  MM_ADMIN_CHAT_ID: {
    schema: z
      .string()
      .trim()
      .regex(/^(-?\d+)?$/, "must be a numeric chat id"),
    default: "",
    describe: "Telegram chat that receives admin notifications",
  },
  MM_BOT_RATE_PER_MIN: {
    schema: int(1, 10000),
    default: "30",
    describe: "Messages per minute a bot user may send",
  },
  MM_ADMIN_TOKEN: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === "" || v.length >= 16, "must be at least 16 characters"),
    default: "",
    secret: true,
    describe: "Bearer token for /api/admin/* (empty = admin HTTP off)",
  },
  MM_ADMIN_EMAIL: {
    schema: z.union([z.literal(""), z.string().trim().toLowerCase().pipe(z.email("must be an e-mail"))]),
    default: "",
    describe:
      "On first start, an admin account with this e-mail and a one-time password printed once to the log",
  },
  MM_SMTP_URL: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === "" || /^smtps?:\/\//.test(v), "must start with smtp:// or smtps://"),
    default: "",
    secret: true,
    describe:
      "SMTP server for account mail (smtps://user:pass@host:465); empty = mail goes to the log, e-mail confirmation not required",
  },
  MM_MAIL_FROM: {
    schema: z.string().trim().min(3),
    default: "Magic Master <noreply@localhost>",
    describe: "Sender (From) of account mail",
  },
  MM_BACKUP_RETENTION_DAYS: {
    schema: int(1, 3650),
    default: "30",
    describe: "Days to keep scheduled backups",
  },
  MM_JOB_RETENTION_DAYS: { schema: int(1, 3650), default: "30", describe: "Days to keep finished job rows" },
  MM_ALERT_QUEUE: { schema: int(1), default: "100", describe: "Queue length that triggers an admin alert" },
  MM_ALERT_FAILURE_RATE: {
    schema: num(0, 1),
    default: "0.5",
    describe: "Share of failed jobs in 15 min that triggers an alert",
  },
  MM_FAILED_INPUT_KEEP_H: {
    schema: num(0, 720),
    default: "0",
    describe: "Hours a failed job's upload is kept so an admin can retry it (0 = deleted when it fails)",
  },
  MM_HEARTBEAT_STALE_S: {
    schema: int(5),
    default: "120",
    describe: "A running job without a heartbeat for this long is re-queued",
  },
  MM_CRON_BACKUP: {
    schema: cron,
    default: "0 3 * * *",
    describe: "When the backup task runs (UTC, 'off' disables)",
  },
  MM_CRON_CLEANUP: { schema: cron, default: "15 * * * *", describe: "When the cleanup task runs" },
  MM_CRON_SWEEP: { schema: cron, default: "* * * * *", describe: "When stuck jobs are swept" },
  MM_CRON_ALERTS: { schema: cron, default: "* * * * *", describe: "When alert conditions are checked" },
  MM_CRON_STATS: { schema: cron, default: "5 0 * * *", describe: "When the daily stats row is written" },
  MM_CRON_SUBSCRIPTIONS: {
    schema: cron,
    default: "*/5 * * * *",
    describe: "When paid tiers past their end return to free and 3-day warnings are sent",
  },
  MM_YOOKASSA_SHOP_ID: {
    schema: z.string().trim(),
    default: "",
    describe: "YooKassa shop id (empty = YooKassa off: POST /api/payments/create answers 503)",
  },
  MM_YOOKASSA_SECRET_KEY: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "YooKassa secret key (test shops: test_…)",
  },
  MM_YOOKASSA_API_ROOT: {
    schema: url,
    default: "https://api.yookassa.ru/v3",
    describe: "YooKassa API root (tests point it at a fake)",
  },
  MM_YOOKASSA_WEBHOOK_IPS: {
    schema: csv.pipe(z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, "must be IPs or CIDR ranges"))),
    default:
      "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.154.128/25,77.75.156.11,77.75.156.35,2a02:5180::/32",
    describe:
      "Addresses allowed to POST /api/payments/webhook (CIDR list; empty = any; client IP per MM_TRUSTED_PROXIES)",
  },
  MM_YOOKASSA_RECEIPTS: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe: "on: send 54-FZ receipt data (the buyer's e-mail, one item) with every YooKassa payment",
  },
  MM_YOOKASSA_VAT_CODE: {
    schema: int(1, 12),
    default: "1",
    describe: "vat_code of the receipt item (1 = без НДС; an accounting decision)",
  },
  MM_PLATEGA_MERCHANT_ID: {
    schema: z.string().trim(),
    default: "",
    describe: "Platega merchant id (X-MerchantId; empty = Platega off)",
  },
  MM_PLATEGA_SECRET: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "Platega API key (X-Secret; also what its callbacks must carry)",
  },
  MM_PLATEGA_API_ROOT: {
    schema: url,
    default: "https://app.platega.io",
    describe: "Platega API root (tests point it at a fake)",
  },
  MM_PAYMENT_RECONCILE_MIN: {
    schema: int(0, 10_080),
    default: "15",
    describe:
      "Orders still pending after this many minutes are re-fetched from the provider (0 = all pending)",
  },
  MM_CRON_RECONCILE: { schema: cron, default: "*/5 * * * *", describe: "When pending orders are reconciled" },
  MM_CRON_AUTH_SWEEP: {
    schema: cron,
    default: "25 * * * *",
    describe: "When expired sign-in sessions (and reset/verify tokens) are deleted",
  },
  MM_STORAGE_URL: {
    schema: z
      .string()
      .trim()
      .refine(
        (v) => v === "" || /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v),
        "must be s3://bucket/prefix",
      ),
    default: "",
    describe:
      "Where uploads and results live: empty = the data folder; s3://bucket/prefix = an S3-compatible bucket",
  },
  MM_S3_ENDPOINT: {
    schema: optionalUrl,
    default: "",
    describe: "S3 endpoint (empty = AWS for MM_S3_REGION; R2, MinIO, Ceph: their URL)",
  },
  MM_S3_REGION: {
    schema: z.string().trim(),
    default: "",
    describe: "S3 region (empty = us-east-1; R2: auto)",
  },
  MM_S3_ACCESS_KEY_ID: { schema: z.string().trim(), default: "", describe: "S3 access key id" },
  MM_S3_SECRET_ACCESS_KEY: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "S3 secret access key",
  },
  MM_S3_PRESIGN: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe:
      "on: downloads answer 302 to a presigned bucket URL; off: the API node streams them (Range kept)",
  },
  MM_S3_PRESIGN_TTL_S: {
    schema: int(60, 7 * 24 * 3600),
    default: "900",
    describe: "How long a presigned download URL stays valid, in seconds",
  },
} satisfies Record<string, Spec>;

export type EnvName = keyof typeof ENV_SPEC;

/** The parsed, typed configuration. */
export type Config = { [K in EnvName]: z.output<(typeof ENV_SPEC)[K]["schema"]> };

export const ENV_NAMES = Object.keys(ENV_SPEC) as EnvName[];

export function isSecret(name: EnvName): boolean {
  const spec: Spec = ENV_SPEC[name];
  return spec.secret === true;
}
