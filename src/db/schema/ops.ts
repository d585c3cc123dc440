// The ops area's tables (src/ops owns them): the daily figures and the cluster's nodes.

import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";

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
