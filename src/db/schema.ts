// The drizzle schema: every table of the one SQLite file. Times are unix milliseconds (UTC) everywhere.
// Change it only together with a generated migration (`bun run db:generate -- --name what_and_why`).

import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/** People: Telegram users now, web accounts later. Ban state and language live here. */
export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    telegramId: text("telegram_id").unique(),
    telegramUsername: text("telegram_username"),
    email: text("email").unique(),
    passwordHash: text("password_hash"),
    /** When the address was confirmed (null: not yet; without SMTP verification is not required). */
    emailVerifiedAt: integer("email_verified_at"),
    isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
    displayName: text("display_name"),
    lang: text("lang", { enum: ["ru", "en"] })
      .notNull()
      .default("en"),
    tier: text("tier").notNull().default("free"),
    tierExpiresAt: integer("tier_expires_at"),
    bannedAt: integer("banned_at"),
    banReason: text("ban_reason"),
    /** Set when Telegram says the user blocked the bot; cleared when they write again. */
    botBlockedAt: integer("bot_blocked_at"),
    createdAt: integer("created_at").notNull().default(now),
    lastSeenAt: integer("last_seen_at"),
    /** The user's referral code (8 characters, made on first use of /api/referral/my-link or the bot). */
    referralCode: text("referral_code").unique(),
    /** A Telegram-only user merged into this web account by /link (its telegram_id moved there). */
    mergedInto: integer("merged_into"),
    /** Deleted by an admin: personal fields cleared, the row kept for the ledger and payments (anonymised). */
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("users_username_idx").on(t.telegramUsername)],
);

/**
 * Live Telegram link codes: one per bot user, only the SHA-256 of the 6 digits stored. `failures` counts
 * every wrong code entered anywhere during the code's life (a wrong guess cannot be told apart from one
 * aimed at this code), so after 5 the code is dead whoever guessed: at most 5 guesses per code, ever.
 */
export const telegramLinkCodes = sqliteTable("telegram_link_codes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull().unique(),
  failures: integer("failures").notNull().default(0),
  createdAt: integer("created_at").notNull().default(now),
  expiresAt: integer("expires_at").notNull(),
});

/** Wrong link codes entered by a web account: 5 within the window lock the account's linking (persisted). */
export const telegramLinkFailures = sqliteTable(
  "telegram_link_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
  },
  (t) => [index("telegram_link_failures_user_idx").on(t.userId, t.at)],
);

/** Who invited whom: one row per invitee (unique); bonuses are ledger rows with ref "referral:<id>". */
export const referrals = sqliteTable(
  "referrals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    inviterId: integer("inviter_id")
      .notNull()
      .references(() => users.id),
    inviteeId: integer("invitee_id")
      .notNull()
      .unique()
      .references(() => users.id),
    via: text("via", { enum: ["web", "bot"] }).notNull(),
    /** pending: invitee signed up; rewarded: inviter paid after the invitee's first done master; void: self. */
    status: text("status", { enum: ["pending", "rewarded", "void"] })
      .notNull()
      .default("pending"),
    createdAt: integer("created_at").notNull().default(now),
    rewardedAt: integer("rewarded_at"),
  },
  (t) => [index("referrals_inviter_idx").on(t.inviterId)],
);

/** Web sign-in sessions. Only the SHA-256 of the opaque token is stored: a leaked database signs no one in. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull().default(now),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Every extension of a paid tier (a payment, an admin grant): `ref` is unique, so one payment extends once
 * however often it is replayed. Owned by accounts (subscriptions).
 */
export const tierGrants = sqliteTable(
  "tier_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    tier: text("tier").notNull(),
    days: integer("days").notNull(),
    ref: text("ref").notNull().unique(),
    actor: text("actor").notNull().default("system"),
    previousTier: text("previous_tier").notNull(),
    previousExpiresAt: integer("previous_expires_at"),
    /** The expiry after this grant (null: the tier had no end and keeps none). */
    expiresAt: integer("expires_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("tier_grants_user_idx").on(t.userId)],
);

/**
 * Subscription warnings sent, one row per user, expiry warned about and channel ("email" | "bot"): a
 * renewal moves the expiry, so the next period is warned again; a restart finds the row and does not resend.
 */
export const tierWarnings = sqliteTable(
  "tier_warnings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    expiresAt: integer("expires_at").notNull(),
    channel: text("channel", { enum: ["email", "bot"] }).notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [uniqueIndex("tier_warnings_uq").on(t.userId, t.expiresAt, t.channel)],
);

/**
 * API keys: `mm_` + 32 random bytes (base64url), shown once; only the SHA-256 is stored. `prefix` (the first
 * characters) lets a user tell keys apart in the list. Revoked keys stay as rows (revoked_at) for the audit.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    keyHash: text("key_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    name: text("name").notNull().default(""),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_keys_user_idx").on(t.userId, t.revokedAt)],
);

/**
 * Token ledger, append-only. The balance is the sum of `delta`; (reason, ref) makes each entry happen once.
 * `actor` says who moved the tokens ("system" for charges/refunds, "cli", "tg:<id>", "http:admin").
 * ledger_user_delta_idx covers the balance query (SUM(delta) WHERE user_id = ?), read from the index alone.
 */
export const ledger = sqliteTable(
  "ledger",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    ref: text("ref").notNull(),
    actor: text("actor").notNull().default("system"),
    note: text("note"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("ledger_reason_ref_uq").on(t.reason, t.ref),
    index("ledger_user_delta_idx").on(t.userId, t.delta),
  ],
);

/**
 * Each user's balance as a running sum of their ledger rows, written by the ledger store in the same
 * transaction as every ledger insert (never on its own), so reading a balance is one primary-key lookup
 * instead of a sum over all rows. `rows` counts the rows summed, so a check can tell a missed insert.
 * The property test (test/unit/billing/ledger-property.test.ts) compares it with SUM(delta) after every step.
 */
export const ledgerBalances = sqliteTable("ledger_balances", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  balance: integer("balance").notNull(),
  rows: integer("rows").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * A user's saved mastering settings ("chain presets"), at most 50 each (accounts/presets.ts). `settings` is
 * JSON validated by the audio settings schema, as a job's params are; `public_id` is what clients name.
 */
export const userPresets = sqliteTable(
  "user_presets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    publicId: text("public_id").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    settings: text("settings").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("user_presets_user_name_uq").on(t.userId, t.name)],
);

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled", "expired"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_KINDS = ["master", "preview", "measure"] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_SOURCES = ["web", "bot", "api", "cli"] as const;
export type JobSource = (typeof JOB_SOURCES)[number];

/** Every piece of work a user asks for. The row is the truth; nothing important lives only in RAM. */
export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Short, typeable id shown to users ("task #K7M2QX"). */
    publicId: text("public_id").notNull().unique(),
    /** Unguessable secret required (with the public id) to read results without owner credentials. */
    accessToken: text("access_token").notNull(),
    /** Who owns the job for limits and listing: "tg:<id>", "user:<id>", "ip:<addr>", "cli". */
    ownerKey: text("owner_key").notNull(),
    userId: integer("user_id").references(() => users.id),
    source: text("source", { enum: JOB_SOURCES }).notNull(),
    kind: text("kind", { enum: JOB_KINDS }).notNull().default("master"),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    priority: integer("priority").notNull().default(0),
    /**
     * Place in the fair claim order (lowest first), set at enqueue: the owner's next turn in virtual time
     * (start-time fair queueing, so owners alternate) minus a bounded boost for priority. See jobs/sqlite/fair.ts.
     */
    fairKey: real("fair_key").notNull().default(0),
    batchId: text("batch_id"),
    lang: text("lang", { enum: ["ru", "en"] })
      .notNull()
      .default("en"),
    /** Mastering settings as JSON (validated by the audio settings schema before insert). */
    params: text("params").notNull().default("{}"),
    originalName: text("original_name").notNull().default("audio"),
    inputPath: text("input_path"),
    inputBytes: integer("input_bytes"),
    resultPath: text("result_path"),
    resultName: text("result_name"),
    /** Content-Type of the result, from the output format that wrote it. */
    resultMime: text("result_mime"),
    resultBytes: integer("result_bytes"),
    analysisBefore: text("analysis_before"),
    analysisAfter: text("analysis_after"),
    progress: real("progress").notNull().default(0),
    stage: text("stage"),
    errorCode: text("error_code"),
    errorDetail: text("error_detail"),
    attempts: integer("attempts").notNull().default(0),
    /** Tokens reserved for this job (0 until billing is on). */
    cost: integer("cost").notNull().default(0),
    audioDurationS: real("audio_duration_s"),
    realtimeFactor: real("realtime_factor"),
    /** Which process claimed the row (pid@host:start), so a restart can tell its own rows from a dead one's. */
    workerId: text("worker_id"),
    heartbeatAt: integer("heartbeat_at"),
    botChatId: text("bot_chat_id"),
    botMessageId: integer("bot_message_id"),
    /**
     * A bot job's result delivery: "pending" until a bot leader claims it for sending, then "sent", so a
     * result that finished while no node led is sent by the next leader, and never twice (null: not a bot job).
     */
    botDelivery: text("bot_delivery", { enum: ["pending", "sent"] }),
    createdAt: integer("created_at").notNull().default(now),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    expiresAt: integer("expires_at"),
  },
  (t) => [
    index("jobs_fair_idx").on(t.status, t.fairKey),
    index("jobs_owner_idx").on(t.ownerKey, t.createdAt),
    index("jobs_user_idx").on(t.userId),
    /** A user's history, newest first (jobs/sqlite/history.ts). */
    index("jobs_user_created_idx").on(t.userId, t.createdAt),
    index("jobs_batch_idx").on(t.batchId),
    index("jobs_finished_idx").on(t.finishedAt),
    /** The claim's scan: queued rows already in fair order, so the first free one is found without a sort. */
    index("jobs_queued_fair_idx").on(t.fairKey, t.id).where(sql`status = 'queued'`),
    /** The claim's per-owner running cap: a count over this owner's running rows only. */
    index("jobs_running_owner_idx").on(t.ownerKey).where(sql`status = 'running'`),
    /** The bot leader's catch-up: results not yet sent, without scanning every bot job. */
    index("jobs_bot_pending_idx").on(t.finishedAt).where(sql`bot_delivery = 'pending'`),
  ],
);

/** Payment provider events; provider_payment_id is unique so a webhook credits once. */
export const payments = sqliteTable("payments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  provider: text("provider").notNull(),
  providerPaymentId: text("provider_payment_id").notNull().unique(),
  userId: integer("user_id").references(() => users.id),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  product: text("product").notNull(),
  status: text("status").notNull(),
  raw: text("raw"),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** grammY session storage: one JSON value per session key. */
export const botSessions = sqliteTable("bot_sessions", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** Runtime settings and feature flags (JSON values), changed without a restart. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** Who changed what: every admin action from the bot, the CLI or the admin HTTP API. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ts: integer("ts").notNull().default(now),
    /** "cli", "tg:<id>", "http:admin". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    details: text("details"),
    /** The client address of an HTTP action (null for the CLI, the bot and the scheduler). */
    ip: text("ip"),
    /** JSON of the changed values before and after the action (null when nothing had a value). */
    before: text("before"),
    after: text("after"),
  },
  (t) => [index("audit_ts_idx").on(t.ts), index("audit_action_idx").on(t.action, t.id)],
);

/**
 * One-time e-mail links (accounts): "verify" (24 h) and "reset" (1 h). Only the SHA-256 of the token is
 * stored, so a leaked database opens no link; used_at makes a token single use (set in one UPDATE).
 */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["verify", "reset"] }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [
    index("email_tokens_user_idx").on(t.userId, t.kind),
    index("email_tokens_expires_idx").on(t.expiresAt),
  ],
);

/** User feedback about a task ("<task_id> <comment>"). */
export const feedback = sqliteTable("feedback", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  jobPublicId: text("job_public_id"),
  userId: integer("user_id").references(() => users.id),
  ownerKey: text("owner_key").notNull(),
  text: text("text").notNull(),
  createdAt: integer("created_at").notNull().default(now),
});

/** One row per UTC date (YYYY-MM-DD); re-running the stats task updates it. */
export const statsDaily = sqliteTable("stats_daily", {
  date: text("date").primaryKey(),
  jobsDone: integer("jobs_done").notNull().default(0),
  jobsFailed: integer("jobs_failed").notNull().default(0),
  jobsCancelled: integer("jobs_cancelled").notNull().default(0),
  usersNew: integer("users_new").notNull().default(0),
  usersActive: integer("users_active").notNull().default(0),
  audioMinutes: real("audio_minutes").notNull().default(0),
  meanRealtimeFactor: real("mean_realtime_factor"),
  updatedAt: integer("updated_at").notNull().default(now),
  /** Payment orders created that day (any provider, any outcome). */
  ordersCreated: integer("orders_created").notNull().default(0),
  /** Orders paid that day (by paid_at; refunded later included: they were paid). */
  ordersPaid: integer("orders_paid").notNull().default(0),
  /** Money of the orders paid that day, minor units by currency (JSON {"RUB": 150000, "XTR": 60000}). */
  revenueMinor: text("revenue_minor", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
  /** Money refunded that day (full and partial refunds), minor units by currency (JSON). */
  refundsMinor: text("refunds_minor", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
});

/**
 * Tiers as data (accounts owns it): what each tier may do and what it pays, edited at runtime with
 * `magic-master admin tiers set`. Seeded from the original's published defaults (src/accounts/tiers.ts);
 * a NULL limit is "no limit", a NULL allow-list (JSON array of ids) is "everything".
 */
export const tiers = sqliteTable("tiers", {
  name: text("name").primaryKey(),
  /** Masters allowed per `period` (NULL: counted by tokens only). */
  mastersPerPeriod: integer("masters_per_period"),
  period: text("period", { enum: ["day", "week", "month"] })
    .notNull()
    .default("week"),
  /** Masters per UTC day (NULL: no daily cap). */
  dailyCap: integer("daily_cap"),
  tokensMaster: integer("tokens_master").notNull().default(0),
  tokensPreview: integer("tokens_preview").notNull().default(0),
  tokensMeasure: integer("tokens_measure").notNull().default(0),
  tokensBatchItem: integer("tokens_batch_item").notNull().default(0),
  uploadMaxMb: integer("upload_max_mb").notNull().default(100),
  styles: text("styles"),
  formats: text("formats"),
  modules: text("modules"),
  /** Files per batch; 0 = no batch. */
  batchMax: integer("batch_max").notNull().default(0),
  queuePriority: integer("queue_priority").notNull().default(0),
  apiKeys: integer("api_keys", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * What each subject used of its tier's counts (accounts owns it): one row per counted job, kept apart from
 * the jobs table so a guest's week survives a restart and the jobs retention purge. `subject` is
 * "ip:<addr>" for guests, "user:<id>" for users; `released_at` is set when the job failed or was
 * cancelled (the master is given back, like its tokens).
 */
export const tierUsage = sqliteTable(
  "tier_usage",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    subject: text("subject").notNull(),
    kind: text("kind", { enum: JOB_KINDS }).notNull(),
    ref: text("ref").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    releasedAt: integer("released_at"),
  },
  (t) => [index("tier_usage_subject_idx").on(t.subject, t.createdAt)],
);

export const PLAN_KINDS = ["tokens", "tier"] as const;
export const ORDER_STATUSES = ["pending", "succeeded", "canceled", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * What can be bought (billing owns it): a token pack or a tier for a period. Prices are data the admin
 * edits (`magic-master admin plans`); an order copies the plan's figures, so a later edit never alters it.
 * Money in minor units (kopecks) so sums are exact; `stars` is the Telegram Stars price (null: not sold).
 */
export const plans = sqliteTable("plans", {
  key: text("key").primaryKey(),
  kind: text("kind", { enum: PLAN_KINDS }).notNull(),
  tier: text("tier"),
  periodDays: integer("period_days").notNull().default(0),
  tokens: integer("tokens").notNull().default(0),
  amountMinor: integer("amount_minor").notNull(),
  currency: text("currency").notNull().default("RUB"),
  stars: integer("stars"),
  labelRu: text("label_ru").notNull(),
  labelEn: text("label_en").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  sort: integer("sort").notNull().default(0),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * One purchase attempt, written before the provider is called (its id derives the Idempotence-Key).
 * State machine: pending → succeeded | canceled; succeeded → refunded. The plan's figures are copied in.
 * (provider, provider_payment_id) is unique: one order per provider payment.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    planKey: text("plan_key").notNull(),
    kind: text("kind", { enum: PLAN_KINDS }).notNull(),
    tier: text("tier"),
    periodDays: integer("period_days").notNull().default(0),
    tokens: integer("tokens").notNull().default(0),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    provider: text("provider").notNull(),
    providerPaymentId: text("provider_payment_id"),
    confirmationUrl: text("confirmation_url"),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    /** The last provider failure while creating (kept for the owner's status page and the operator). */
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    paidAt: integer("paid_at"),
    refundedAt: integer("refunded_at"),
  },
  (t) => [
    uniqueIndex("orders_provider_payment_uq").on(t.provider, t.providerPaymentId),
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_status_idx").on(t.status, t.createdAt),
  ],
);

/**
 * Every refund of a paid order (billing owns it), full or partial, once per provider refund (`ref`
 * unique: `<provider>:<payment id>` for a full refund, `…:<refund id>` for a partial one). What a refund
 * takes back is proportional to its share of the order's amount, counted cumulatively (`tokens_due`,
 * `days_due`), so partial refunds adding up to the whole take back exactly what the order gave;
 * `tokens_taken` is what the balance still held (spent tokens stay spent).
 */
export const orderRefunds = sqliteTable(
  "order_refunds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    ref: text("ref").notNull().unique(),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    tokensDue: integer("tokens_due").notNull().default(0),
    tokensTaken: integer("tokens_taken").notNull().default(0),
    daysDue: integer("days_due").notNull().default(0),
    actor: text("actor").notNull().default("system"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("order_refunds_order_idx").on(t.orderId), index("order_refunds_created_idx").on(t.createdAt)],
);

/**
 * The `serve` processes sharing one Postgres (ops owns it; on SQLite the table stays empty): each node
 * writes its row at start-up, beats every few seconds and deletes it on a graceful stop. A node silent
 * for 30 s is dead: the sweep re-queues the running jobs its workers held (jobs.worker_id = nodes.id).
 * `roles` is what it runs (comma-separated, `serve --role`), `leads` which leader locks it holds now.
 */
export const nodes = sqliteTable(
  "nodes",
  {
    /** host:pid:random — the worker id its job claims carry. */
    id: text("id").primaryKey(),
    roles: text("roles").notNull(),
    leads: text("leads").notNull().default(""),
    host: text("host").notNull(),
    pid: integer("pid").notNull(),
    version: text("version").notNull(),
    startedAt: integer("started_at").notNull(),
    heartbeatAt: integer("heartbeat_at").notNull(),
  },
  (t) => [index("nodes_heartbeat_idx").on(t.heartbeatAt)],
);
