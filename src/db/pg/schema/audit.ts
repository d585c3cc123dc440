// The Postgres twin of src/db/schema/audit.ts (column meanings are documented there).

import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";
import { now } from "./columns";

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    ts: bigint("ts", { mode: "number" }).notNull().default(now),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    details: text("details"),
    ip: text("ip"),
    before: text("before"),
    after: text("after"),
  },
  (t) => [index("audit_ts_idx").on(t.ts), index("audit_action_idx").on(t.action, t.id)],
);
