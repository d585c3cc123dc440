// The audit log, written and read for every area by src/db/audit.ts (SQLite) and src/db/pg/audit-*.ts.

import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";

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
