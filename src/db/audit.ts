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

export type AuditRow = ReturnType<typeof recentAudit>[number];

/** The audit log as a service, so the edges (bot, admin HTTP, CLI) record actions without the DB handle. */
export type AuditLog = { record(e: AuditEntry): void; recent(limit?: number): AuditRow[] };

export function createAuditLog(db: Db): AuditLog {
  return { record: (e) => recordAudit(db, e), recent: (limit) => recentAudit(db, limit) };
}
