// The audit log: every admin action (bot, CLI, admin HTTP) as one row. Read by `admin` reports.

import { desc } from "drizzle-orm";
import type { Db } from "./connect";
import { auditLog } from "./schema";

export type AuditEntry = { actor: string; action: string; target?: string | null; details?: unknown };

/** Appends one entry. `actor` is "cli", "tg:<id>" or "http:admin". */
export function recordAudit(db: Db, e: AuditEntry): void {
  db.insert(auditLog)
    .values({
      actor: e.actor,
      action: e.action,
      target: e.target ?? null,
      details: e.details === undefined ? null : JSON.stringify(e.details),
    })
    .run();
}

/** The most recent entries, newest first. */
export function recentAudit(db: Db, limit = 50) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all();
}
