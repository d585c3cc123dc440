// The admin panel's users API under /api/admin (behind the admin guard): GET /users (search, filters,
// pages), GET /users/export.csv (the same filters), GET /users/:id (the whole picture), and the actions
// POST /users/:id/tier | balance | revoke | delete. Ban and unban are POST /users/:ref/ban|unban (admin.ts).
// Balance changes are ledger rows (admin_credit / admin_debit) with the form's ref, so a repeat adjusts
// once; every action is audited with the admin, their address, before and after.
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { ActingAdmin, AdminUsers, UserRow } from "../../accounts";
import type { Balances, Ledger, OrderAdmin } from "../../billing";
import type { AuditLog } from "../../db";
import { AppError } from "../../errors";
import type { JobService } from "../../jobs";
import type { AdminEnv } from "../middleware/admin-auth";
import { project } from "../project";
import { CSV_BOM, csvLine } from "./csv";
import {
  AdminBalanceSchema,
  AdminRevokeSchema,
  AdminUserDeletedSchema,
  AdminUserDetailSchema,
  AdminUserLineSchema,
  AdminUserListSchema,
  BalanceInput,
  DeleteInput,
  RevokeInput,
  TierInput,
} from "./schemas-admin-users";
import { v } from "./validate";

export type AdminUsersRoutesDeps = {
  users: AdminUsers;
  jobs: Pick<JobService, "historyOf" | "reports">;
  ledger: Pick<Ledger, "balance" | "rows" | "credit" | "debit">;
  balances: Balances;
  orders: OrderAdmin;
  audit: AuditLog;
};

const flag = z.enum(["true", "false"]).transform((s) => s === "true");
export const UserListQuery = z.object({
  q: z.string().trim().max(254).optional(),
  tier: z.string().max(32).optional(),
  banned: flag.optional(),
  has_balance: flag.optional(),
  deleted: flag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
const IdParam = z.object({ id: z.coerce.number().int().positive() });
/** The export's cap: a list this long is a database job, not a download. */
const CSV_MAX = 100_000;
const CSV_COLUMNS = [
  "id",
  "email",
  "telegram_id",
  "username",
  "tier",
  "tier_expires_at",
  "banned",
  "ban_reason",
  "balance",
  "is_admin",
  "created_at",
  "last_seen_at",
  "deleted_at",
];

/** The acting admin and their address (the guard set `admin`; client-ip runs on every /api route). */
export const actingAdmin = (c: Context<AdminEnv>): ActingAdmin => ({
  actor: c.get("admin").actor,
  ip: c.get("clientIp") ?? null,
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function line(u: UserRow, balance: number) {
  return {
    id: u.id,
    email: u.email,
    email_verified: u.emailVerifiedAt !== null,
    telegram_id: u.telegramId,
    username: u.telegramUsername,
    tier: u.tier,
    tier_expires_at: u.tierExpiresAt,
    is_admin: u.isAdmin,
    banned: u.bannedAt !== null,
    banned_at: u.bannedAt,
    ban_reason: u.banReason,
    deleted_at: u.deletedAt,
    balance,
    lang: u.lang,
    created_at: u.createdAt,
    last_seen_at: u.lastSeenAt,
  };
}

export function adminUsersRoutes(d: AdminUsersRoutesDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  const search = (q: z.output<typeof UserListQuery>, limit: number, offset: number) =>
    d.users.search({
      q: q.q,
      tier: q.tier || undefined,
      banned: q.banned,
      hasBalance: q.has_balance,
      deleted: q.deleted,
      limit,
      offset,
    });
  const lines = (rows: UserRow[]) => {
    const b = d.balances.of(rows.map((u) => u.id));
    return rows.map((u) => line(u, b.get(u.id) ?? 0));
  };
  const lineOf = (u: UserRow) => project(AdminUserLineSchema, line(u, d.ledger.balance(u.id)));

  r.get("/users", v("query", UserListQuery), (c) => {
    const q = c.req.valid("query");
    const { rows, total } = search(q, q.limit, q.offset);
    c.header("Cache-Control", "no-store");
    return c.json(
      project(AdminUserListSchema, { total, limit: q.limit, offset: q.offset, users: lines(rows) }),
    );
  });

  // Registered before /users/:id, and :id only matches digits: the original's export answered 422 because
  // its /users/{id} route caught "export.csv" first.
  r.get("/users/export.csv", v("query", UserListQuery), (c) => {
    const q = c.req.valid("query");
    let out = CSV_BOM + csvLine(CSV_COLUMNS);
    for (let offset = 0; offset < CSV_MAX; ) {
      const { rows } = search(q, Math.min(1000, CSV_MAX - offset), offset);
      for (const u of lines(rows))
        out += csvLine([
          u.id,
          u.email,
          u.telegram_id,
          u.username,
          u.tier,
          iso(u.tier_expires_at),
          u.banned ? "yes" : "no",
          u.ban_reason,
          u.balance,
          u.is_admin ? "yes" : "no",
          iso(u.created_at),
          iso(u.last_seen_at),
          iso(u.deleted_at),
        ]);
      if (rows.length < 1000) break;
      offset += rows.length;
    }
    d.audit.record({
      actor: c.get("admin").actor,
      action: "users_export",
      details: { ip: c.get("clientIp"), filters: q },
    });
    c.header("Cache-Control", "no-store");
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="magic-master-users.csv"');
    return c.body(out);
  });

  r.get("/users/:id{[0-9]+}", v("param", IdParam), (c) => {
    const id = c.req.valid("param").id;
    const u = d.users.get(id);
    const telegramKey = u.telegramId ? `tg:${u.telegramId}` : null;
    const history = d.jobs.historyOf(u.id, 20);
    const t = d.users.referrals(id);
    const ref = (x: NonNullable<typeof t.invitedBy>) => ({
      id: x.userId,
      email: x.email,
      username: x.username,
      via: x.via,
      status: x.status,
      created_at: x.createdAt,
    });
    c.header("Cache-Control", "no-store");
    return c.json(
      project(AdminUserDetailSchema, {
        user: line(u, d.ledger.balance(u.id)),
        telegram: {
          linked: u.telegramId !== null,
          telegram_id: u.telegramId,
          username: u.telegramUsername,
          bot_blocked: u.botBlockedAt !== null,
          merged_ids: d.users.merged(id).map((m) => m.id),
        },
        jobs: history.jobs.map(({ view: j }) => ({
          id: j.id,
          status: j.status,
          kind: j.kind,
          source: j.source,
          original_name: j.original_name,
          cost: j.cost,
          error: j.error?.code ?? null,
          created_at: j.created_at,
          finished_at: j.finished_at,
        })),
        job_counts: d.jobs.reports.countsOfUser(u.id, telegramKey),
        ledger: d.ledger.rows(u.id, 50).map((l) => ({
          id: l.id,
          delta: l.delta,
          reason: l.reason,
          ref: l.ref,
          actor: l.actor,
          note: l.note,
          created_at: l.createdAt,
        })),
        orders: d.orders.list({ userId: u.id }, 50, 0).rows.map((o) => ({
          id: o.id,
          plan: o.planKey,
          provider: o.provider,
          status: o.status,
          amount_minor: o.amountMinor,
          currency: o.currency,
          created_at: o.createdAt,
          paid_at: o.paidAt,
        })),
        referrals: { invited_by: t.invitedBy ? ref(t.invitedBy) : null, invited: t.invited.map(ref) },
        sessions: d.users.sessions(id).map((s) => ({
          id: s.id,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          ip: s.ip,
          user_agent: s.userAgent,
        })),
        api_keys: d.users.keys(id).map((k) => ({
          id: k.id,
          prefix: k.prefix,
          name: k.name,
          created_at: k.createdAt,
          last_used_at: k.lastUsedAt,
          revoked_at: k.revokedAt,
        })),
      }),
    );
  });

  r.post("/users/:id{[0-9]+}/tier", v("param", IdParam), v("json", TierInput), (c) => {
    const b = c.req.valid("json");
    const u = d.users.setTier(c.req.valid("param").id, b.tier, b.expires_at, b.reason, actingAdmin(c));
    return c.json(lineOf(u));
  });

  r.post("/users/:id{[0-9]+}/balance", v("param", IdParam), v("json", BalanceInput), (c) => {
    const b = c.req.valid("json");
    const u = d.users.get(c.req.valid("param").id);
    const by = actingAdmin(c);
    const before = d.ledger.balance(u.id);
    const adj = { note: b.reason, actor: by.actor, ref: b.ref };
    const res = b.delta > 0 ? d.ledger.credit(u.id, b.delta, adj) : d.ledger.debit(u.id, -b.delta, adj);
    if (res.applied)
      d.audit.record({
        actor: by.actor,
        action: b.delta > 0 ? "ledger_credit" : "ledger_debit",
        target: `user:${u.id}`,
        details: {
          ip: by.ip,
          before: { balance: before },
          after: { balance: res.balance },
          amount: Math.abs(b.delta),
          reason: b.reason,
          ledger_id: res.row.id,
          ref: res.row.ref,
        },
      });
    return c.json(
      project(AdminBalanceSchema, {
        user: u.id,
        delta: res.row.delta,
        balance: res.balance,
        ledger_id: res.row.id,
        applied: res.applied,
      }),
    );
  });

  r.post("/users/:id{[0-9]+}/revoke", v("param", IdParam), v("json", RevokeInput), (c) => {
    const b = c.req.valid("json");
    const out = d.users.revoke(
      c.req.valid("param").id,
      { sessions: b.sessions, keys: b.keys },
      b.reason,
      actingAdmin(c),
    );
    return c.json(project(AdminRevokeSchema, out));
  });

  r.post("/users/:id{[0-9]+}/delete", v("param", IdParam), v("json", DeleteInput), (c) => {
    const id = c.req.valid("param").id;
    const b = c.req.valid("json");
    if (b.confirm !== id) throw new AppError("delete_confirm_mismatch", 400, { id });
    const out = d.users.remove(id, b.reason, actingAdmin(c));
    return c.json(
      project(AdminUserDeletedSchema, {
        user: line(out.user, d.ledger.balance(id)),
        jobs: out.jobs,
        files: out.files,
        sessions_ended: out.sessions,
        keys_revoked: out.keys,
      }),
    );
  });

  return r;
}
