// Backup file names: `backup-2026-11-23T03-00-00-123Z-00.db`. UTC to the millisecond plus a two-digit
// sequence, so names sort by time, stay unique when two backups start in the same millisecond (cron and
// an operator at once), and are safe on every filesystem. Retention reads the time back from the name,
// because copying files around changes their mtime.

import { closeSync, openSync } from "node:fs";
import { join } from "node:path";

const MAX_SEQ = 99;

export function backupFileName(now = new Date(), seq = 0): string {
  const stamp = now.toISOString().replace(/:/g, "-").replace(".", "-");
  return `backup-${stamp}-${String(seq).padStart(2, "0")}.db`;
}

/** Today's names, and the second-precision ones written before (`backup-2026-11-23T03-00-00Z.db`). */
const BACKUP_NAME = /^backup-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})(?:-(\d{3})Z-\d{2}|Z)\.db$/;

/** The UTC time a backup was taken, read from its name; null for any other file. */
export function backupTime(name: string): number | null {
  const m = BACKUP_NAME.exec(name);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5] ?? "000"}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Creates an empty file under `dir` with the first free name for `now` and returns its path. The create is
 * exclusive (O_EXCL), so two processes can never pick the same name; VACUUM INTO accepts an empty file.
 */
export function reserveBackupFile(dir: string, now = new Date()): string {
  for (let seq = 0; seq <= MAX_SEQ; seq++) {
    const path = join(dir, backupFileName(now, seq));
    try {
      closeSync(openSync(path, "wx"));
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  throw new Error(`more than ${MAX_SEQ + 1} backups in one millisecond in ${dir}`);
}
