// The Postgres twin of src/db/schema/accounts.ts (column meanings are documented there).

import { bigint, boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { now } from "./columns";

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

export const feedback = pgTable("feedback", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  jobPublicId: text("job_public_id"),
  userId: bigint("user_id", { mode: "number" }).references(() => users.id),
  ownerKey: text("owner_key").notNull(),
  text: text("text").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
});

export const botSessions = pgTable("bot_sessions", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

// bigint: Telegram promises update ids are positive integers, not that they stay below 2^31.
export const botUpdates = pgTable(
  "bot_updates",
  {
    updateId: bigint("update_id", { mode: "number" }).primaryKey(),
    handledAt: bigint("handled_at", { mode: "number" }).notNull(),
  },
  // The daily cleanup deletes by age.
  (t) => [index("bot_updates_handled_idx").on(t.handledAt)],
);
