// The audit log's reads on Postgres: searchAudit / recentAudit (../audit.ts) on the synchronous client,
// the same filters, order and paging, so the admin panel's audit page answers alike on both backends.

import type { AuditQuery, AuditRow } from "../audit";
import type { PgClient } from "./client";
import { rowReader } from "./rows";
import { auditLog } from "./schema";

const read = rowReader(auditLog);

const TEXT_COLUMNS = ["actor", "action", "target", "ip", "details", "before", "after"];

/** Entries matching `q`, newest first; `next` is the id to pass as `beforeId` for the next page. */
export function searchPgAudit(pg: PgClient, q: AuditQuery): { rows: AuditRow[]; next: number | null } {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.q) {
    // strpos instead of LIKE: the operator's text may contain "%" or "_", which LIKE treats as wildcards.
    const needle = bind(q.q.toLowerCase());
    where.push(
      `(${TEXT_COLUMNS.map((c) => `strpos(lower(coalesce("${c}", '')), ${needle}) > 0`).join(" OR ")})`,
    );
  }
  if (q.actor) where.push(`actor = ${bind(q.actor)}`);
  if (q.action?.endsWith("*")) where.push(`starts_with(action, ${bind(q.action.slice(0, -1))})`);
  else if (q.action) where.push(`action = ${bind(q.action)}`);
  if (q.target) where.push(`target = ${bind(q.target)}`);
  if (q.from !== undefined) where.push(`ts >= ${bind(q.from)}`);
  if (q.to !== undefined) where.push(`ts <= ${bind(q.to)}`);
  if (q.beforeId !== undefined) where.push(`id < ${bind(q.beforeId)}`);
  const rows = pg
    .all(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY id DESC LIMIT ${bind(q.limit + 1)}`,
      params,
    )
    .map(read);
  const page = rows.slice(0, q.limit);
  return { rows: page, next: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

/** The most recent entries, newest first. */
export function recentPgAudit(pg: PgClient, limit = 50): AuditRow[] {
  return pg.all("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1", [limit]).map(read);
}
