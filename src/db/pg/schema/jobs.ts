// The Postgres twin of src/db/schema/jobs.ts (column meanings are documented there).

import { sql } from "drizzle-orm";
import { bigint, doublePrecision, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { JOB_KINDS, JOB_SOURCES, JOB_STATUSES } from "../../schema/jobs";
import { users } from "./accounts";
import { now } from "./columns";

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
    botDelivery: text("bot_delivery", { enum: ["pending", "claimed", "sent", "failed"] }),
    botDeliveryBy: text("bot_delivery_by"),
    botDeliveryAt: bigint("bot_delivery_at", { mode: "number" }),
    botDeliveryAttempts: bigint("bot_delivery_attempts", { mode: "number" }).notNull().default(0),
    botDeliveryError: text("bot_delivery_error"),
    botUpdateKey: text("bot_update_key"),
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
    uniqueIndex("jobs_bot_update_key_idx").on(t.botUpdateKey),
    index("jobs_bot_due_idx").on(t.finishedAt).where(sql`bot_delivery IN ('pending', 'claimed')`),
  ],
);

export const botAlbumReports = pgTable("bot_album_reports", {
  batchId: text("batch_id").primaryKey(),
  chatId: text("chat_id").notNull(),
  state: text("state", { enum: ["pending", "claimed", "sent", "failed"] })
    .notNull()
    .default("pending"),
  claimedBy: text("claimed_by"),
  claimedAt: bigint("claimed_at", { mode: "number" }),
  attempts: bigint("attempts", { mode: "number" }).notNull().default(0),
  error: text("error"),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
});
