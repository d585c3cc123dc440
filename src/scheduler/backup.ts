// The `backup` task: an online, integrity-checked copy of the database into data/backups/, named by UTC
// time (unique per run, see db/backup-name.ts), then backups older than MM_BACKUP_RETENTION_DAYS deleted.
// A failure alerts the admin chat.

import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { backupDatabase, backupTime, postgresBackupAdvice, reserveBackupFile } from "../db";
import { describeError } from "../errors";
import { t } from "../i18n";
import type { Logger } from "../log";
import { DAY_MS } from "../ops";
import { notifyAdminSafely } from "./notify";
import type { Task, TaskCounts } from "./types";

/** Deletes our backups strictly older than `before`; returns what was deleted and what remains. */
export function pruneBackups(dir: string, before: number): { deleted: string[]; kept: number } {
  const deleted: string[] = [];
  let kept = 0;
  for (const name of readdirSync(dir).sort()) {
    const at = backupTime(name);
    if (at === null) continue;
    if (at < before) {
      rmSync(join(dir, name), { force: true });
      deleted.push(name);
    } else kept++;
  }
  return { deleted, kept };
}

/** Loggers already told that the task does nothing on Postgres (once per process, not every night). */
const toldPostgres = new WeakSet<Logger>();

export const backupTask: Task = {
  name: "backup",
  schedule: (c) => c.MM_CRON_BACKUP,
  async run(d) {
    // On Postgres there is no SQLite file to copy: say so once, write nothing (pg_dump is the operator's).
    if (d.config.MM_DATABASE_URL) {
      if (!toldPostgres.has(d.log)) {
        toldPostgres.add(d.log);
        d.log.warn("backup_skipped_postgres", postgresBackupAdvice("backup"), { task: "backup" });
      }
      const skipped: TaskCounts = { skipped: "postgres" };
      return skipped;
    }
    const now = d.now();
    let made: Awaited<ReturnType<typeof backupDatabase>>;
    try {
      made = await backupDatabase(d.layout.db, reserveBackupFile(d.layout.backups, now));
    } catch (err) {
      await notifyAdminSafely(
        d,
        "backup_failed",
        t(d.adminLang, "alert_backup_failed", { error: describeError(err) }),
      );
      throw err;
    }
    // Prune only after a good copy exists, so a run of failures never leaves us with no backup at all.
    const pruned = pruneBackups(d.layout.backups, now.getTime() - d.config.MM_BACKUP_RETENTION_DAYS * DAY_MS);
    return {
      path: made.path,
      bytes: made.bytes,
      backup_ms: made.ms,
      backups_deleted: pruned.deleted.length,
      backups_kept: pruned.kept,
    };
  },
};
