// Database verbs: migrate, backup [--out FILE], restore FILE.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import {
  backendSchemaState,
  backupDatabase,
  closeBackend,
  closeDb,
  describeBackend,
  migrateBackend,
  openBackend,
  openDb,
  postgresBackupAdvice,
  reserveBackupFile,
  restoreDatabase,
  runMigrations,
} from "../db";
import { ensureLayout } from "../files";
import { DataFolderLockedError, lockDataFolder } from "../ops";
import { parseArgs } from "./args";
import { cliContext, printRecord } from "./context";
import { type Command, UsageError } from "./types";

const migrate: Command = {
  summary: "apply pending database migrations",
  usage: "usage: magic-master migrate [--json]",
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, { json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const ctx = cliContext(io);
    ensureLayout(ctx.layout);
    const b = openBackend({ databaseUrl: ctx.config.MM_DATABASE_URL, sqlitePath: ctx.layout.db });
    try {
      const applied = migrateBackend(b);
      const state = backendSchemaState(b);
      printRecord(io, flags.json === true, {
        database: describeBackend(b),
        applied_now: applied,
        migrations: state.applied,
        known: state.known,
      });
    } finally {
      closeBackend(b);
    }
    return 0;
  },
};

const backup: Command = {
  summary: "online backup of the database (safe while the service runs)",
  usage: "usage: magic-master backup [--out FILE] [--json]",
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, {
      out: { type: "string", alias: "o" },
      json: { type: "boolean" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const ctx = cliContext(io);
    if (ctx.config.MM_DATABASE_URL) {
      io.err(postgresBackupAdvice("backup"));
      return 1;
    }
    if (!existsSync(ctx.layout.db)) {
      io.err(`backup: no database at ${ctx.layout.db}`);
      return 1;
    }
    ensureLayout(ctx.layout);
    const out = typeof flags.out === "string" ? resolve(flags.out) : reserveBackupFile(ctx.layout.backups);
    const r = await backupDatabase(ctx.layout.db, out);
    printRecord(io, flags.json === true, { path: r.path, bytes: r.bytes, integrity: r.integrity, ms: r.ms });
    return 0;
  },
};

const restore: Command = {
  summary: "replace the database with a backup (service must be stopped)",
  usage: [
    "usage: magic-master restore FILE [--json]",
    "Stop the service first (systemctl stop magic-master); the current database is kept as *.pre-restore-<time>.",
  ].join("\n"),
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, { json: { type: "boolean" } });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError("restore takes exactly one FILE");
    const ctx = cliContext(io);
    if (ctx.config.MM_DATABASE_URL) {
      io.err(postgresBackupAdvice("restore"));
      return 1;
    }
    if (!existsSync(file)) {
      io.err(`restore: file not found: ${file}`);
      return 1;
    }
    // Holding the folder's lock for the whole swap also stops a `serve` from starting halfway through.
    let lock: ReturnType<typeof lockDataFolder>;
    try {
      lock = lockDataFolder(ctx.layout.root);
    } catch (err) {
      if (!(err instanceof DataFolderLockedError)) throw err;
      io.err(
        `restore: the service (pid ${err.pid ?? "unknown"}) is using ${ctx.layout.db}; stop it first: systemctl stop magic-master`,
      );
      return 1;
    }
    let keptOld: string | null;
    try {
      ensureLayout(ctx.layout);
      keptOld = restoreDatabase(resolve(file), ctx.layout.db).keptOld;
      const dbh = openDb(ctx.layout.db);
      try {
        runMigrations(dbh);
      } finally {
        closeDb(dbh);
      }
    } finally {
      lock.release();
    }
    printRecord(io, flags.json === true, {
      restored: ctx.layout.db,
      from: resolve(file),
      previous_kept_as: keptOld ?? "(none)",
    });
    return 0;
  },
};

export const dbCommands: Record<string, Command> = { migrate, backup, restore };
