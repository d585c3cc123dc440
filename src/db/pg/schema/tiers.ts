// The Postgres twin of src/db/schema/tiers.ts (column meanings are documented there).

import { bigint, boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { JOB_KINDS } from "../../schema/jobs";
import { users } from "./accounts";
import { now } from "./columns";

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
