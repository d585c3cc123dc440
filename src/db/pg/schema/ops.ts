// The Postgres twin of src/db/schema/ops.ts (column meanings are documented there).

import { bigint, doublePrecision, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { now } from "./columns";

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
