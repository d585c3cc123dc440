// The jobs table (src/jobs is its only owner) and the values its enum columns take.

import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts";
import { now } from "./columns";

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
     * A bot job's result delivery (null: not a bot job): "pending" until a bot leader claims it, "claimed"
     * (by bot_delivery_by at bot_delivery_at: a lease) while it sends, "sent" once Telegram answered ok, or
     * "failed" after bot_delivery_attempts tries. A claim whose node died (or whose lease ran out) is due
     * again, so a leader killed mid-send loses nothing (at least once; bot/delivery.ts).
     */
    botDelivery: text("bot_delivery", { enum: ["pending", "claimed", "sent", "failed"] }),
    botDeliveryBy: text("bot_delivery_by"),
    botDeliveryAt: integer("bot_delivery_at"),
    botDeliveryAttempts: integer("bot_delivery_attempts").notNull().default(0),
    botDeliveryError: text("bot_delivery_error"),
    /**
     * The Telegram update that made this job (`<chat>:<update_id>:<track>`), unique: an update a dead
     * leader handled but never confirmed comes again to the next one, which finds the job instead of
     * making a second (bot/intake.ts).
     */
    botUpdateKey: text("bot_update_key"),
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
    /** The bot leader's catch-up: results not yet sent (or claimed by a node that may have died). */
    uniqueIndex("jobs_bot_update_key_idx").on(t.botUpdateKey),
    index("jobs_bot_due_idx").on(t.finishedAt).where(sql`bot_delivery IN ('pending', 'claimed')`),
  ],
);

/**
 * The album report a bot owes a chat for an album batch (bot/delivery.ts), born "pending" in the same
 * transaction as the album's jobs; due once every track is final and its own result settled. Claimed
 * like a job's result (by claimed_by at claimed_at: a lease), "sent" only after Telegram answered ok, so
 * a leader killed before or during the send leaves it to the next one (at least once).
 */
export const botAlbumReports = sqliteTable("bot_album_reports", {
  batchId: text("batch_id").primaryKey(),
  chatId: text("chat_id").notNull(),
  state: text("state", { enum: ["pending", "claimed", "sent", "failed"] })
    .notNull()
    .default("pending"),
  claimedBy: text("claimed_by"),
  claimedAt: integer("claimed_at"),
  attempts: integer("attempts").notNull().default(0),
  error: text("error"),
  createdAt: integer("created_at").notNull().default(now),
});
