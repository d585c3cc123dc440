// The accounts area's tier tables (src/accounts: tiers & limits, subscriptions): tiers as data, what each
// subject used of them, every extension of a paid tier and the expiry warnings sent.

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts";
import { now } from "./columns";
import { JOB_KINDS } from "./jobs";

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
