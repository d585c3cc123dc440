// The audit log: every admin action (bot, CLI, admin HTTP) as one row — who (actor), from where (ip, for
// HTTP), what (action, target), and the changed values before and after. Read by `admin` reports and the
// admin panel's searchable audit page.

import { type AnyColumn, and, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Backend } from "./backend";
import type { Db } from "./connect";
import { appendPgAudit } from "./pg/audit-append";
import { recentPgAudit, searchPgAudit } from "./pg/audit-read";
import { auditLog } from "./schema";

export type AuditEntry = {
  /** "cli", "tg:<id>", "user:<id>" (an admin session) or "http:admin" (the token). */
  actor: string;
  action: string;
  target?: string | null;
  details?: unknown;
  /** The client address of an HTTP action. */
  ip?: string | null;
  /** The values the action changed, as they were and as they are now. */
  before?: unknown;
  after?: unknown;
};

/** Who acted: the audit actor and, for an HTTP action, the client address. */
export type Actor = { actor: string; ip?: string | null };

/** An actor given as a bare name (the CLI, the bot) or with its address (admin HTTP). */
export const actorOf = (by: string | Actor): Actor => (typeof by === "string" ? { actor: by } : by);

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** Appends one entry. */
export function recordAudit(db: Db, e: AuditEntry): void {
  db.insert(auditLog)
    .values({
      actor: e.actor,
      action: e.action,
      target: e.target ?? null,
      details: json(e.details),
      ip: e.ip ?? null,
      before: json(e.before),
      after: json(e.after),
    })
    .run();
}

/** The most recent entries, newest first. */
export function recentAudit(db: Db, limit = 50) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all();
}

export type AuditRow = ReturnType<typeof recentAudit>[number];

export type AuditQuery = {
  /** Case-insensitive text anywhere in actor, action, target, ip, details, before or after. */
  q?: string;
  actor?: string;
  /** An exact action, or a prefix ending in "*" ("user_*"). */
  action?: string;
  target?: string;
  /** Unix ms, inclusive. */
  from?: number;
  to?: number;
  /** Entries older than this id (the previous page's last id). */
  beforeId?: number;
  limit: number;
};

// instr() instead of LIKE: the operator's text may contain "%" or "_", which LIKE treats as wildcards.
const contains = (col: AnyColumn, needle: string) =>
  sql`instr(lower(coalesce(${col}, '')), ${needle.toLowerCase()}) > 0`;

/** Entries matching `q`, newest first; `next` is the id to pass as `beforeId` for the next page. */
export function searchAudit(db: Db, q: AuditQuery): { rows: AuditRow[]; next: number | null } {
  const where: SQL[] = [];
  if (q.q) {
    const cols = [auditLog.actor, auditLog.action, auditLog.target, auditLog.ip, auditLog.details];
    const any = [...cols, auditLog.before, auditLog.after].map((c) => contains(c, q.q as string));
    where.push(sql`(${sql.join(any, sql` or `)})`);
  }
  if (q.actor) where.push(eq(auditLog.actor, q.actor));
  if (q.action?.endsWith("*")) {
    const prefix = q.action.slice(0, -1);
    where.push(sql`substr(${auditLog.action}, 1, ${prefix.length}) = ${prefix}`);
  } else if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.target) where.push(eq(auditLog.target, q.target));
  if (q.from !== undefined) where.push(gte(auditLog.ts, q.from));
  if (q.to !== undefined) where.push(lte(auditLog.ts, q.to));
  if (q.beforeId !== undefined) where.push(lt(auditLog.id, q.beforeId));
  const rows = db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  return { rows: page, next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

/** The audit log as a service, so the edges (bot, admin HTTP, CLI) record actions without the DB handle. */
export type AuditLog = {
  record(e: AuditEntry): void;
  recent(limit?: number): AuditRow[];
  search(q: AuditQuery): { rows: AuditRow[]; next: number | null };
};

/** The audit log of the backend's database (on Postgres on its one connection, so it joins a caller's tx). */
export function createAuditLog(b: Backend): AuditLog {
  if (b.kind === "postgres") {
    const { pg } = b;
    return {
      record: (e) => appendPgAudit(pg, e),
      recent: (limit) => recentPgAudit(pg, limit),
      search: (q) => searchPgAudit(pg, q),
    };
  }
  const { db } = b.dbh;
  return {
    record: (e) => recordAudit(db, e),
    recent: (limit) => recentAudit(db, limit),
    search: (q) => searchAudit(db, q),
  };
}
