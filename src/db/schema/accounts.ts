// The accounts area's tables (src/accounts owns them): people, sign-in (sessions, API keys, e-mail links),
// the Telegram link, referrals, saved presets, feedback and the bot's grammY sessions.

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { now } from "./columns";

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

/** User feedback about a task ("<task_id> <comment>"). */
export const feedback = sqliteTable("feedback", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  jobPublicId: text("job_public_id"),
  userId: integer("user_id").references(() => users.id),
  ownerKey: text("owner_key").notNull(),
  text: text("text").notNull(),
  createdAt: integer("created_at").notNull().default(now),
});

/** grammY session storage: one JSON value per session key. */
export const botSessions = sqliteTable("bot_sessions", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** Telegram update ids the bot claimed or finished, so a replay after a leader's death is not answered twice. */
export const botUpdates = sqliteTable(
  "bot_updates",
  {
    updateId: integer("update_id").primaryKey(),
    handledAt: integer("handled_at").notNull(),
  },
  // The daily cleanup deletes by age.
  (t) => [index("bot_updates_handled_idx").on(t.handledAt)],
);
