// Admin HTTP API for is_admin sessions/keys and MM_ADMIN_TOKEN (bearer): GET /api/admin/backup/db streams a
// fresh online backup, GET /api/admin/stats, POST /api/admin/maintenance, POST /api/admin/users/:ref/ban
// and /unban. Changes are audited with actor "user:<id>" (a session) or "http:admin" (the token).
// Every /api/admin/* and /admin* path passes one guard first (middleware/admin-auth.ts): non-admins get
// the unknown-route 404. The panel's pages and texts: admin-pages.ts.

import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Accounts, ApiKeys, Auth } from "../../accounts";
import type { Config } from "../../config";
import { type AuditLog, backupDatabase, backupFileName, PG_DUMP_COMMAND } from "../../db";
import { AppError } from "../../errors";
import type { DataLayout } from "../../files";
import type { JobService } from "../../jobs";
import type { Logger } from "../../log";
import { type DailyStats, type OrderFigures, paymentFigures } from "../../ops";
import { MAINTENANCE_MESSAGE_MAX, type Settings } from "../../settings";
import type { RouteMount } from "../app";
import { adminAuth, adminPageAuth } from "../middleware/admin-auth";
import type { CallerEnv } from "../middleware/auth";
import { project } from "../project";
import { type AdminEnv, adminActor } from "./admin-actor";
import { type AdminOpsDeps, mountAdminOps } from "./admin-ops";
import { adminPages, adminTextsRoutes } from "./admin-pages";
import { type AdminPaymentsRoutesDeps, adminPaymentsRoutes } from "./admin-payments";
import { type AdminUsersRoutesDeps, adminUsersRoutes } from "./admin-users";
import type { RouteDoc } from "./openapi";
import { AdminStatsSchema, AdminUserBanSchema, MaintenanceSchema } from "./schemas-info";
import { v } from "./validate";

export type AdminDeps = {
  config: Pick<Config, "MM_ADMIN_TOKEN"> & { readonly MM_DATABASE_URL?: string };
  log: Logger;
  audit: AuditLog;
  jobs: Pick<JobService, "counts">;
  stats: Pick<DailyStats, "recent">;
  layout: DataLayout;
  settings: Settings;
  /** Payment orders' figures (billing); none when absent. */
  orders?: () => OrderFigures;
  /** Ban/unban (the same service calls as the CLI and the bot's /ban). */
  accounts?: Pick<Accounts, "ban" | "unban">;
  /** Sign-in and API keys: the /admin pages resolve their visitor themselves (no caller middleware there). */
  auth?: Auth;
  keys?: ApiKeys;
  /** The users pages' API (admin-users.ts): search, a user's picture, tier, balance, revoke, delete. */
  users?: AdminUsersRoutesDeps;
  /** The payments page's API (admin-payments.ts): orders with filters, one order. */
  payments?: AdminPaymentsRoutesDeps;
  /** Dashboard, jobs, settings, backups and audit (admin-ops.ts); absent in tests that do not need them. */
  ops?: AdminOpsDeps;
  now?: () => Date;
};

const ACTOR = "http:admin";
/** The audit actor: the admin account when a session is used, else the operator's token. */
const actorOf = (c: Context<CallerEnv>): string => {
  const caller = c.get("caller");
  return caller?.kind === "user" ? `user:${caller.userId}` : ACTOR;
};

const MaintenanceBody = z.strictObject({
  on: z.boolean(),
  message: z.string().trim().max(MAINTENANCE_MESSAGE_MAX).optional(),
});
const BanBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
const UserParam = z.object({
  ref: z.string().min(1).max(254).describe("Internal id as #12 or id:12, @username, Telegram id or e-mail"),
});
const StatsQuery = z.object({ days: z.coerce.number().int().min(1).max(3650).default(7) });

/**
 * A stream over a file that was already unlinked: the open descriptor keeps the data readable, and no
 * temporary copy outlives the download even if the client disconnects halfway.
 */
async function streamAndForget(path: string): Promise<{ stream: ReadableStream<Uint8Array>; bytes: number }> {
  const fh = await open(path, "r");
  const bytes = (await fh.stat()).size;
  await rm(path, { force: true });
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const buf = new Uint8Array(256 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) {
        await fh.close();
        ctrl.close();
      } else ctrl.enqueue(buf.subarray(0, bytesRead));
    },
    async cancel() {
      await fh.close();
    },
  });
  return { stream, bytes };
}

export function adminMount(d: AdminDeps): RouteMount {
  const now = d.now ?? (() => new Date());
  return (app) => {
    // Registered on the app before any admin route, so no admin handler can run unguarded.
    const guarded = app as unknown as Hono<CallerEnv>;
    guarded.use("/api/admin/*", adminAuth({ token: d.config.MM_ADMIN_TOKEN }));
    guarded.use("/admin/*", adminPageAuth({ token: d.config.MM_ADMIN_TOKEN, auth: d.auth, keys: d.keys }));
    const r = new Hono<CallerEnv>();

    r.get("/backup/db", async (c) => {
      // Postgres is dumped with pg_dump; there is no SQLite file of ours to stream.
      if (d.config.MM_DATABASE_URL) throw new AppError("backup_postgres", 409, { command: PG_DUMP_COMMAND });
      const at = now();
      // Under work/: if the process dies mid-download, the cleanup task removes the leftover after an hour.
      const tmp = join(d.layout.work, `admin-backup-${randomBytes(6).toString("hex")}.db`);
      const made = await backupDatabase(d.layout.db, tmp);
      const { stream, bytes } = await streamAndForget(made.path);
      d.audit.record({ actor: actorOf(c), action: "backup_download", details: { bytes } });
      d.log.info("admin_backup_download", "", { bytes, ms: made.ms });
      return new Response(stream, {
        headers: {
          "Content-Type": "application/vnd.sqlite3",
          "Content-Length": String(bytes),
          "Content-Disposition": `attachment; filename="magic-master-${backupFileName(at)}"`,
          "Cache-Control": "no-store",
        },
      });
    });

    r.get("/stats", v("query", StatsQuery), (c) => {
      const { days } = c.req.valid("query");
      const counts = d.jobs.counts();
      // Projected onto the documented schema: stored rows carry columns (updatedAt) that are not the API.
      return c.json(
        project(AdminStatsSchema, {
          jobs: { queued: counts.queued, running: counts.running },
          maintenance: d.settings.maintenance(),
          flags: d.settings.flags(),
          days: d.stats.recent(days, now().getTime()),
          payments: paymentFigures(d.orders?.()),
        }),
      );
    });

    r.post("/maintenance", v("json", MaintenanceBody), (c) => {
      const body = c.req.valid("json");
      const by = adminActor(c as unknown as Context<AdminEnv>);
      return c.json(project(MaintenanceSchema, d.settings.setMaintenance(body.on, body.message, by)));
    });

    const acc = d.accounts;
    if (acc) {
      r.post("/users/:ref/ban", v("param", UserParam), v("json", BanBody), (c) => {
        const u = acc.ban(
          c.req.valid("param").ref,
          c.req.valid("json").reason ?? "banned by admin",
          actorOf(c),
          c.get("clientIp") ?? null,
        );
        return c.json(
          project(AdminUserBanSchema, {
            id: u.id,
            banned: true,
            banned_at: u.bannedAt,
            ban_reason: u.banReason,
            sessions_ended: u.sessionsEnded,
            jobs_cancelled: u.jobsCancelled,
          }),
        );
      });
      r.post("/users/:ref/unban", v("param", UserParam), (c) => {
        const u = acc.unban(c.req.valid("param").ref, actorOf(c), c.get("clientIp") ?? null);
        return c.json(
          project(AdminUserBanSchema, {
            id: u.id,
            banned: u.bannedAt !== null,
            banned_at: u.bannedAt,
            ban_reason: u.banReason,
            sessions_ended: 0,
            jobs_cancelled: 0,
          }),
        );
      });
    }

    if (d.ops) mountAdminOps(r as unknown as Hono<AdminEnv>, d.ops);
    r.route("/", adminTextsRoutes());
    if (d.users) r.route("/", adminUsersRoutes(d.users) as unknown as Hono<CallerEnv>);
    if (d.payments) r.route("/", adminPaymentsRoutes(d.payments) as unknown as Hono<CallerEnv>);
    app.route("/api/admin", r);
    adminPages(app);
  };
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const ADMIN_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/admin/backup/db",
    summary: "Online database backup",
    access: "admin",
    ok: { 200: "file" },
  },
  {
    method: "GET",
    path: "/api/admin/stats",
    summary: "Live counts, flags, maintenance, daily rows",
    access: "admin",
    query: ["days"],
    ok: { 200: "AdminStats" },
  },
  {
    method: "POST",
    path: "/api/admin/maintenance",
    summary: "Maintenance on/off ({on, message?})",
    access: "admin",
    body: "json",
    ok: { 200: "Maintenance" },
  },
];
