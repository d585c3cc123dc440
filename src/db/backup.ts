// Online backup and restore. `VACUUM INTO` runs in a Worker thread with its own connection, so the
// HTTP event loop keeps serving while a consistent snapshot is written (readers never block in WAL).

import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { knownMigrations } from "./migrate";

/** Worker source, inlined as a Blob URL so it also works inside the compiled binary. */
const WORKER_SOURCE = `
import { Database } from "bun:sqlite";
self.onmessage = (e) => {
  const { src, dest } = e.data;
  try {
    const db = new Database(src, { readonly: true });
    db.exec("PRAGMA busy_timeout = 10000");
    db.prepare("VACUUM INTO ?").run(dest);
    db.close();
    const out = new Database(dest, { readonly: true });
    const rows = out.query("PRAGMA integrity_check").all().map((r) => r.integrity_check);
    out.close();
    postMessage({ ok: true, integrity: rows.join("; ") });
  } catch (err) {
    postMessage({ ok: false, error: String((err && err.message) || err) });
  }
};`;

let workerUrl: string | null = null;

/** How Postgres is dumped and restored: its own tools, never a copy of files (README "Backups"). */
export const PG_DUMP_COMMAND = `pg_dump -Fc "$MM_DATABASE_URL" -f magic-master-$(date -u +%Y%m%dT%H%M%SZ).dump`;
export const PG_RESTORE_COMMAND = `pg_restore --clean --if-exists --no-owner -d "$MM_DATABASE_URL" FILE.dump`;

/**
 * What `backup`, `restore`, the scheduler's backup task and the admin panel say when MM_DATABASE_URL
 * names a Postgres: this binary copies only its SQLite file, Postgres is backed up with its own tools.
 */
export function postgresBackupAdvice(verb: "backup" | "restore"): string {
  const what = verb === "backup" ? "backs up" : "restores";
  return [
    `${verb}: the database is Postgres (MM_DATABASE_URL is set); magic-master ${what} only its SQLite file.`,
    "Postgres is backed up and restored with its own tools:",
    `  backup:  ${PG_DUMP_COMMAND}`,
    `  restore: ${PG_RESTORE_COMMAND}   (stop the service first)`,
  ].join("\n");
}

export type BackupResult = { path: string; bytes: number; integrity: "ok"; ms: number };

/**
 * Writes a consistent copy of the database at `src` to `dest` (absent or empty) off the main
 * thread, then checks the copy with `PRAGMA integrity_check`. A failed or corrupt copy is deleted.
 */
export async function backupDatabase(
  src: string,
  dest: string,
  timeoutMs = 10 * 60_000,
): Promise<BackupResult> {
  // An empty file is a name reserved by reserveBackupFile; anything else is someone's data.
  if (existsSync(dest) && statSync(dest).size > 0) throw new Error(`refusing to overwrite ${dest}`);
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" }));
  const started = performance.now();
  let worker: Worker | null = null;
  try {
    if (!existsSync(src)) throw new Error(`database not found: ${src}`);
    const w = new Worker(workerUrl);
    worker = w;
    const reply = await new Promise<{ ok: boolean; integrity?: string; error?: string }>(
      (resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`backup timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
        w.onmessage = (e: MessageEvent) => {
          clearTimeout(timer);
          resolve(e.data);
        };
        w.onerror = (e) => {
          clearTimeout(timer);
          reject(new Error(e.message));
        };
        w.postMessage({ src, dest });
      },
    );
    if (!reply.ok) throw new Error(`backup failed: ${reply.error}`);
    if (reply.integrity !== "ok") throw new Error(`backup integrity check failed: ${reply.integrity}`);
    return {
      path: dest,
      bytes: statSync(dest).size,
      integrity: "ok",
      ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    rmSync(dest, { force: true });
    throw err;
  } finally {
    worker?.terminate();
  }
}

export type BackupCheck = {
  integrity: string;
  migrations: number;
  latest: number | null;
  knownLatest: number;
};

/** Opens a backup read-only and reports its integrity and schema version. Throws if it is not SQLite. */
export function inspectBackup(file: string): BackupCheck {
  const db = new Database(file, { readonly: true });
  try {
    const integrity = (db.query("PRAGMA integrity_check").all() as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join("; ");
    const hasTable = db
      .query("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'")
      .get();
    const row = hasTable
      ? (db.query("SELECT count(*) AS n, max(created_at) AS latest FROM __drizzle_migrations").get() as {
          n: number;
          latest: number | null;
        })
      : { n: 0, latest: null };
    return {
      integrity,
      migrations: row.n,
      latest: row.latest,
      knownLatest: knownMigrations().at(-1)?.when ?? 0,
    };
  } finally {
    db.close();
  }
}

/**
 * Folds the WAL into the main file, so the file alone is complete even after an unclean stop (kill -9
 * leaves committed rows only in `-wal`). Best effort: a file SQLite cannot open keeps its WAL beside it.
 */
function checkpointQuietly(path: string): void {
  try {
    const db = new Database(path);
    try {
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
  } catch {
    // the -wal/-shm files are moved with the kept copy instead
  }
}

/**
 * Replaces the database at `target` with `file` after checking it. The old database is kept beside it as
 * `<target>.pre-restore-<time>`, checkpointed first and moved together with any `-wal`/`-shm` left, so the
 * kept copy holds every committed row and SQLite cannot replay the old WAL onto the restored file.
 * The caller holds the data folder's lock (no service may have the database open).
 */
export function restoreDatabase(file: string, target: string, now = new Date()): { keptOld: string | null } {
  const check = inspectBackup(file);
  if (check.integrity !== "ok") throw new Error(`backup fails integrity_check: ${check.integrity}`);
  if (check.migrations === 0)
    throw new Error("file is an SQLite database but not a Magic Master backup (no migrations table)");
  if (check.latest !== null && check.latest > check.knownLatest)
    throw new Error("backup schema is newer than this build; upgrade the binary first");
  let keptOld: string | null = null;
  if (existsSync(target)) {
    keptOld = `${target}.pre-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
    checkpointQuietly(target);
    renameSync(target, keptOld);
  }
  for (const ext of ["-wal", "-shm"]) {
    if (keptOld && existsSync(`${target}${ext}`)) renameSync(`${target}${ext}`, `${keptOld}${ext}`);
    else rmSync(`${target}${ext}`, { force: true });
  }
  const tmp = `${target}.restoring`;
  copyFileSync(file, tmp);
  renameSync(tmp, target);
  return { keptOld };
}
