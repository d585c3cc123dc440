// Appending one audit entry on Postgres: recordAudit (../audit.ts) on the synchronous client, the same
// columns and JSON encoding, on the caller's connection so it joins the caller's transaction. (The audit
// log's reads on Postgres come with the audit store; the accounts stores only append.)

import type { AuditEntry } from "../audit";
import type { PgClient } from "./client";

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function appendPgAudit(pg: PgClient, e: AuditEntry): void {
  pg.run(
    "INSERT INTO audit_log (actor, action, target, details, ip, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [e.actor, e.action, e.target ?? null, json(e.details), e.ip ?? null, json(e.before), json(e.after)],
  );
}
