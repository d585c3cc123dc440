// Admin: backups (issue 14 point 7). GET /api/admin/backups — the scheduled and manual backups under
// data/backups (name, time, size, when retention deletes it), the retention and the schedule;
// POST /api/admin/backups — an online, integrity-checked backup now (the same code as the backup task);
// GET /api/admin/backups/:name — download one. Only names the backup naming scheme produces are served,
// so no path can reach outside the folder.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { z } from "zod";
import { type AuditLog, backupDatabase, backupTime, PG_DUMP_COMMAND, reserveBackupFile } from "../../db";
import { AppError, describeError } from "../../errors";
import type { DataLayout } from "../../files";
import type { Logger } from "../../log";
import { project } from "../project";
import { type AdminEnv, adminActor } from "./admin-actor";
import { AdminBackupSchema, AdminBackupsSchema } from "./schemas-admin-ops";
import { v } from "./validate";

export type AdminBackupsDeps = {
  layout: Pick<DataLayout, "db" | "backups">;
  audit: AuditLog;
  log: Logger;
  /** Read live: retention is a runtime setting. */
  config: {
    readonly MM_BACKUP_RETENTION_DAYS: number;
    readonly MM_CRON_BACKUP: string;
    /** Set: the rows are in Postgres, which this binary does not back up (pg_dump does). */
    readonly MM_DATABASE_URL?: string;
  };
  now?: () => Date;
};

const DAY = 86_400_000;
const NameParam = z.object({ name: z.string().min(1).max(80) });

export function adminBackupsRoutes(d: AdminBackupsDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  const now = d.now ?? (() => new Date());
  const item = (name: string) => {
    const at = backupTime(name) as number;
    return {
      name,
      at,
      bytes: statSync(join(d.layout.backups, name)).size,
      delete_after: at + d.config.MM_BACKUP_RETENTION_DAYS * DAY,
    };
  };
  const list = () =>
    readdirSync(d.layout.backups)
      .filter((n) => backupTime(n) !== null)
      .sort()
      .reverse()
      .map(item)
      // An empty file is a name reserved by a backup still being written.
      .filter((b) => b.bytes > 0);

  r.get("/backups", (c) =>
    c.json(
      project(AdminBackupsSchema, {
        retention_days: d.config.MM_BACKUP_RETENTION_DAYS,
        schedule: d.config.MM_CRON_BACKUP,
        backups: list(),
      }),
    ),
  );

  r.post("/backups", async (c) => {
    const by = adminActor(c);
    if (d.config.MM_DATABASE_URL) throw new AppError("backup_postgres", 409, { command: PG_DUMP_COMMAND });
    let made: Awaited<ReturnType<typeof backupDatabase>>;
    try {
      made = await backupDatabase(d.layout.db, reserveBackupFile(d.layout.backups, now()));
    } catch (err) {
      d.log.error("admin_backup_failed", describeError(err), { actor: by.actor });
      throw new AppError("backup_failed", 500, { error: describeError(err) });
    }
    const name = made.path.slice(d.layout.backups.length + 1);
    d.audit.record({
      ...by,
      action: "backup_create",
      target: `backup:${name}`,
      after: { bytes: made.bytes },
    });
    d.log.info("admin_backup_created", "", { name, bytes: made.bytes, ms: made.ms, actor: by.actor });
    return c.json(project(AdminBackupSchema, item(name)), 201);
  });

  r.get("/backups/:name", v("param", NameParam), (c) => {
    const { name } = c.req.valid("param");
    const b = backupTime(name) === null ? undefined : list().find((x) => x.name === name);
    if (!b) throw new AppError("backup_not_found", 404, { name });
    d.audit.record({
      ...adminActor(c),
      action: "backup_download",
      target: `backup:${name}`,
      details: { bytes: b.bytes },
    });
    return new Response(Bun.file(join(d.layout.backups, name)), {
      headers: {
        "Content-Type": "application/vnd.sqlite3",
        "Content-Length": String(b.bytes),
        "Content-Disposition": `attachment; filename="magic-master-${name}"`,
        "Cache-Control": "no-store",
      },
    });
  });
  return r;
}
