// Admin: the audit log (issue 14 point 7). GET /api/admin/audit — every admin, CLI, bot and scheduler
// action, newest first, searchable by text (anywhere in actor, action, target, IP, details, before/after),
// by actor, action (exact or "prefix*"), target and time; pages by `before` (the last id seen).
import { Hono } from "hono";
import { z } from "zod";
import type { AuditLog, AuditRow } from "../../db";
import { project } from "../project";
import type { AdminEnv } from "./admin-actor";
import { AdminAuditSchema } from "./schemas-admin-ops";
import { v } from "./validate";

const Query = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  actor: z.string().trim().min(1).max(100).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  target: z.string().trim().min(1).max(200).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const parsed = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const entry = (r: AuditRow) => ({
  id: r.id,
  ts: r.ts,
  actor: r.actor,
  action: r.action,
  target: r.target,
  ip: r.ip,
  details: parsed(r.details),
  before: parsed(r.before),
  after: parsed(r.after),
});

export type AdminAuditDeps = { audit: AuditLog };

export function adminAuditRoutes(d: AdminAuditDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get("/audit", v("query", Query), (c) => {
    const q = c.req.valid("query");
    const { rows, next } = d.audit.search({
      q: q.q,
      actor: q.actor,
      action: q.action,
      target: q.target,
      from: q.from,
      to: q.to,
      beforeId: q.before,
      limit: q.limit,
    });
    return c.json(project(AdminAuditSchema, { entries: rows.map(entry), next }));
  });
  return r;
}
