// The Postgres twin of src/db/schema.ts: the same tables, columns, defaults, constraints and index names,
// so every store's SQL means the same on both backends (test/unit/db/pg-schema-parity.test.ts compares
// them). What differs is only the type spelling: SQLite's 64-bit INTEGER is BIGINT here (times stay unix
// milliseconds), REAL is DOUBLE PRECISION, boolean-mode integers are BOOLEAN, JSON text is JSONB, and
// autoincrement keys are identity columns (BY DEFAULT, so a copy from SQLite can keep its ids).
// Column meanings are documented there, not repeated here.
// Change it together with src/db/schema.ts and a generated migration (`bun run db:generate:pg -- --name …`).

import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { JOB_KINDS, JOB_SOURCES, JOB_STATUSES, ORDER_STATUSES, PLAN_KINDS } from "../schema";

/** Statement time in unix ms, like SQLite's unixepoch('subsec') (now() would be the transaction's start). */
const now = sql`(floor(extract(epoch from clock_timestamp()) * 1000))::bigint`;

export const users = pgTable(
  "users",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    telegramId: text("telegram_id").unique(),
    telegramUsername: text("telegram_username"),
    email: text("email").unique(),
    passwordHash: text("password_hash"),
    emailVerifiedAt: bigint("email_verified_at", { mode: "number" }),
    isAdmin: boolean("is_admin").notNull().default(false),
    displayName: text("display_name"),
    lang: text("lang", { enum: ["ru", "en"] })
      .notNull()
      .default("en"),
    tier: text("tier").notNull().default("free"),
    tierExpiresAt: bigint("tier_expires_at", { mode: "number" }),
    bannedAt: bigint("banned_at", { mode: "number" }),
    banReason: text("ban_reason"),
    botBlockedAt: bigint("bot_blocked_at", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }),
    referralCode: text("referral_code").unique(),
    mergedInto: bigint("merged_into", { mode: "number" }),
    deletedAt: bigint("deleted_at", { mode: "number" }),
  },
  (t) => [index("users_username_idx").on(t.telegramUsername)],
);

export const telegramLinkCodes = pgTable("telegram_link_codes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  userId: bigint("user_id", { mode: "number" })
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull().unique(),
  failures: bigint("failures", { mode: "number" }).notNull().default(0),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
});

export const telegramLinkFailures = pgTable(
  "telegram_link_failures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    at: bigint("at", { mode: "number" }).notNull(),
  },
  (t) => [index("telegram_link_failures_user_idx").on(t.userId, t.at)],
);

export const referrals = pgTable(
  "referrals",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    inviterId: bigint("inviter_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    inviteeId: bigint("invitee_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => users.id),
    via: text("via", { enum: ["web", "bot"] }).notNull(),
    status: text("status", { enum: ["pending", "rewarded", "void"] })
      .notNull()
      .default("pending"),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
    rewardedAt: bigint("rewarded_at", { mode: "number" }),
  },
  (t) => [index("referrals_inviter_idx").on(t.inviterId)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }).notNull().default(now),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const tierGrants = pgTable(
  "tier_grants",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    tier: text("tier").notNull(),
    days: bigint("days", { mode: "number" }).notNull(),
    ref: text("ref").notNull().unique(),
    actor: text("actor").notNull().default("system"),
    previousTier: text("previous_tier").notNull(),
    previousExpiresAt: bigint("previous_expires_at", { mode: "number" }),
    expiresAt: bigint("expires_at", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [index("tier_grants_user_idx").on(t.userId)],
);

export const tierWarnings = pgTable(
  "tier_warnings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    channel: text("channel", { enum: ["email", "bot"] }).notNull(),
    sentAt: bigint("sent_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("tier_warnings_uq").on(t.userId, t.expiresAt, t.channel)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    keyHash: text("key_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    name: text("name").notNull().default(""),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
    lastUsedAt: bigint("last_used_at", { mode: "number" }),
    revokedAt: bigint("revoked_at", { mode: "number" }),
  },
  (t) => [index("api_keys_user_idx").on(t.userId, t.revokedAt)],
);

export const ledger = pgTable(
  "ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    delta: bigint("delta", { mode: "number" }).notNull(),
    reason: text("reason").notNull(),
    ref: text("ref").notNull(),
    actor: text("actor").notNull().default("system"),
    note: text("note"),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("ledger_reason_ref_uq").on(t.reason, t.ref),
    index("ledger_user_delta_idx").on(t.userId, t.delta),
  ],
);

export const ledgerBalances = pgTable("ledger_balances", {
  userId: bigint("user_id", { mode: "number" })
    .primaryKey()
    .references(() => users.id),
  balance: bigint("balance", { mode: "number" }).notNull(),
  rows: bigint("rows", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

export const userPresets = pgTable(
  "user_presets",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    publicId: text("public_id").notNull().unique(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    settings: text("settings").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [uniqueIndex("user_presets_user_name_uq").on(t.userId, t.name)],
);

export const jobs = pgTable(
  "jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    publicId: text("public_id").notNull().unique(),
    accessToken: text("access_token").notNull(),
    ownerKey: text("owner_key").notNull(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id),
    source: text("source", { enum: JOB_SOURCES }).notNull(),
    kind: text("kind", { enum: JOB_KINDS }).notNull().default("master"),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    priority: bigint("priority", { mode: "number" }).notNull().default(0),
    fairKey: doublePrecision("fair_key").notNull().default(0),
    batchId: text("batch_id"),
    lang: text("lang", { enum: ["ru", "en"] })
      .notNull()
      .default("en"),
    params: text("params").notNull().default("{}"),
    originalName: text("original_name").notNull().default("audio"),
    inputPath: text("input_path"),
    inputBytes: bigint("input_bytes", { mode: "number" }),
    resultPath: text("result_path"),
    resultName: text("result_name"),
    resultMime: text("result_mime"),
    resultBytes: bigint("result_bytes", { mode: "number" }),
    analysisBefore: text("analysis_before"),
    analysisAfter: text("analysis_after"),
    progress: doublePrecision("progress").notNull().default(0),
    stage: text("stage"),
    errorCode: text("error_code"),
    errorDetail: text("error_detail"),
    attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
    cost: bigint("cost", { mode: "number" }).notNull().default(0),
    audioDurationS: doublePrecision("audio_duration_s"),
    realtimeFactor: doublePrecision("realtime_factor"),
    workerId: text("worker_id"),
    heartbeatAt: bigint("heartbeat_at", { mode: "number" }),
    botChatId: text("bot_chat_id"),
    botMessageId: bigint("bot_message_id", { mode: "number" }),
    botDelivery: text("bot_delivery", { enum: ["pending", "sent"] }),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
    startedAt: bigint("started_at", { mode: "number" }),
    finishedAt: bigint("finished_at", { mode: "number" }),
    expiresAt: bigint("expires_at", { mode: "number" }),
  },
  (t) => [
    index("jobs_fair_idx").on(t.status, t.fairKey),
    index("jobs_owner_idx").on(t.ownerKey, t.createdAt),
    index("jobs_user_idx").on(t.userId),
    index("jobs_user_created_idx").on(t.userId, t.createdAt),
    index("jobs_batch_idx").on(t.batchId),
    index("jobs_finished_idx").on(t.finishedAt),
    index("jobs_queued_fair_idx").on(t.fairKey, t.id).where(sql`status = 'queued'`),
    index("jobs_running_owner_idx").on(t.ownerKey).where(sql`status = 'running'`),
    index("jobs_bot_pending_idx").on(t.finishedAt).where(sql`bot_delivery = 'pending'`),
  ],
);

export const payments = pgTable("payments", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  provider: text("provider").notNull(),
  providerPaymentId: text("provider_payment_id").notNull().unique(),
  userId: bigint("user_id", { mode: "number" }).references(() => users.id),
  amount: bigint("amount", { mode: "number" }).notNull(),
  currency: text("currency").notNull(),
  product: text("product").notNull(),
  status: text("status").notNull(),
  raw: text("raw"),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

export const botSessions = pgTable("bot_sessions", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    ts: bigint("ts", { mode: "number" }).notNull().default(now),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    details: text("details"),
    ip: text("ip"),
    before: text("before"),
    after: text("after"),
  },
  (t) => [index("audit_ts_idx").on(t.ts), index("audit_action_idx").on(t.action, t.id)],
);

export const emailTokens = pgTable(
  "email_tokens",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["verify", "reset"] }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    usedAt: bigint("used_at", { mode: "number" }),
  },
  (t) => [
    index("email_tokens_user_idx").on(t.userId, t.kind),
    index("email_tokens_expires_idx").on(t.expiresAt),
  ],
);

export const feedback = pgTable("feedback", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  jobPublicId: text("job_public_id"),
  userId: bigint("user_id", { mode: "number" }).references(() => users.id),
  ownerKey: text("owner_key").notNull(),
  text: text("text").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
});

export const statsDaily = pgTable("stats_daily", {
  date: text("date").primaryKey(),
  jobsDone: bigint("jobs_done", { mode: "number" }).notNull().default(0),
  jobsFailed: bigint("jobs_failed", { mode: "number" }).notNull().default(0),
  jobsCancelled: bigint("jobs_cancelled", { mode: "number" }).notNull().default(0),
  usersNew: bigint("users_new", { mode: "number" }).notNull().default(0),
  usersActive: bigint("users_active", { mode: "number" }).notNull().default(0),
  audioMinutes: doublePrecision("audio_minutes").notNull().default(0),
  meanRealtimeFactor: doublePrecision("mean_realtime_factor"),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
  ordersCreated: bigint("orders_created", { mode: "number" }).notNull().default(0),
  ordersPaid: bigint("orders_paid", { mode: "number" }).notNull().default(0),
  revenueMinor: jsonb("revenue_minor").$type<Record<string, number>>().notNull().default({}),
  refundsMinor: jsonb("refunds_minor").$type<Record<string, number>>().notNull().default({}),
});

export const tiers = pgTable("tiers", {
  name: text("name").primaryKey(),
  mastersPerPeriod: bigint("masters_per_period", { mode: "number" }),
  period: text("period", { enum: ["day", "week", "month"] })
    .notNull()
    .default("week"),
  dailyCap: bigint("daily_cap", { mode: "number" }),
  tokensMaster: bigint("tokens_master", { mode: "number" }).notNull().default(0),
  tokensPreview: bigint("tokens_preview", { mode: "number" }).notNull().default(0),
  tokensMeasure: bigint("tokens_measure", { mode: "number" }).notNull().default(0),
  tokensBatchItem: bigint("tokens_batch_item", { mode: "number" }).notNull().default(0),
  uploadMaxMb: bigint("upload_max_mb", { mode: "number" }).notNull().default(100),
  styles: text("styles"),
  formats: text("formats"),
  modules: text("modules"),
  batchMax: bigint("batch_max", { mode: "number" }).notNull().default(0),
  queuePriority: bigint("queue_priority", { mode: "number" }).notNull().default(0),
  apiKeys: boolean("api_keys").notNull().default(false),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

export const tierUsage = pgTable(
  "tier_usage",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    subject: text("subject").notNull(),
    kind: text("kind", { enum: JOB_KINDS }).notNull(),
    ref: text("ref").notNull().unique(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    releasedAt: bigint("released_at", { mode: "number" }),
  },
  (t) => [index("tier_usage_subject_idx").on(t.subject, t.createdAt)],
);

export const plans = pgTable("plans", {
  key: text("key").primaryKey(),
  kind: text("kind", { enum: PLAN_KINDS }).notNull(),
  tier: text("tier"),
  periodDays: bigint("period_days", { mode: "number" }).notNull().default(0),
  tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
  amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
  currency: text("currency").notNull().default("RUB"),
  stars: bigint("stars", { mode: "number" }),
  labelRu: text("label_ru").notNull(),
  labelEn: text("label_en").notNull(),
  active: boolean("active").notNull().default(true),
  sort: bigint("sort", { mode: "number" }).notNull().default(0),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    planKey: text("plan_key").notNull(),
    kind: text("kind", { enum: PLAN_KINDS }).notNull(),
    tier: text("tier"),
    periodDays: bigint("period_days", { mode: "number" }).notNull().default(0),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    provider: text("provider").notNull(),
    providerPaymentId: text("provider_payment_id"),
    confirmationUrl: text("confirmation_url"),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    lastError: text("last_error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    paidAt: bigint("paid_at", { mode: "number" }),
    refundedAt: bigint("refunded_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("orders_provider_payment_uq").on(t.provider, t.providerPaymentId),
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_status_idx").on(t.status, t.createdAt),
  ],
);

export const orderRefunds = pgTable(
  "order_refunds",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    ref: text("ref").notNull().unique(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    tokensDue: bigint("tokens_due", { mode: "number" }).notNull().default(0),
    tokensTaken: bigint("tokens_taken", { mode: "number" }).notNull().default(0),
    daysDue: bigint("days_due", { mode: "number" }).notNull().default(0),
    actor: text("actor").notNull().default("system"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("order_refunds_order_idx").on(t.orderId), index("order_refunds_created_idx").on(t.createdAt)],
);

export const nodes = pgTable(
  "nodes",
  {
    id: text("id").primaryKey(),
    roles: text("roles").notNull(),
    leads: text("leads").notNull().default(""),
    host: text("host").notNull(),
    pid: bigint("pid", { mode: "number" }).notNull(),
    version: text("version").notNull(),
    startedAt: bigint("started_at", { mode: "number" }).notNull(),
    heartbeatAt: bigint("heartbeat_at", { mode: "number" }).notNull(),
  },
  (t) => [index("nodes_heartbeat_idx").on(t.heartbeatAt)],
);
