// The `backup` task: an online, integrity-checked copy of the database into data/backups/, named by UTC
// time, then backups older than MM_BACKUP_RETENTION_DAYS deleted. A failure alerts the admin chat.

import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { backupFileName } from "../cli/db";
import { backupDatabase } from "../db";
import { describeError } from "../errors";
import { t } from "../i18n";
import { notifyAdminSafely } from "./notify";
import { DAY_MS } from "./time";
import type { Task } from "./types";

/** Names written by backupFileName: `backup-2026-11-23T03-00-00Z.db`. Anything else is left alone. */
const BACKUP_NAME = /^backup-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z\.db$/;

/** The UTC time a backup was taken, read from its name (mtime changes when files are copied around). */
export function backupTime(name: string): number | null {
  const m = BACKUP_NAME.exec(name);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(ms) ? null : ms;
}

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

export const backupTask: Task = {
  name: "backup",
  schedule: (c) => c.MM_CRON_BACKUP,
  async run(d) {
    const now = d.now();
    const dest = join(d.layout.backups, backupFileName(now));
    let made: Awaited<ReturnType<typeof backupDatabase>>;
    try {
      made = await backupDatabase(d.layout.db, dest);
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
