// `magic-master migrate-to-postgres --from FILE`: the one-way move of a SQLite installation onto the
// Postgres MM_DATABASE_URL names (db/to-postgres.ts does the copy and its checks). The service must be
// stopped: the folder's lock is held for the whole copy, so a running `serve` makes it refuse.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { migrateSqliteFileToPostgres, safeDatabaseUrl } from "../db";
import { DataFolderLockedError, lockDataFolder } from "../ops";
import { parseArgs } from "./args";
import { cliContext, printRecord } from "./context";
import { type Command, UsageError } from "./types";

export const migrateToPostgresCommand: Command = {
  summary: "copy the SQLite database into the empty Postgres MM_DATABASE_URL names (service stopped)",
  usage: [
    "usage: MM_DATABASE_URL=postgres://… magic-master migrate-to-postgres --from FILE [--json]",
    "Migrates the target to head, refuses a non-empty one, copies every table in one transaction and",
    "checks row counts and every user's ledger sum before committing. Stop the service first.",
  ].join("\n"),
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, { from: { type: "string" }, json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (typeof flags.from !== "string") throw new UsageError("--from FILE (the SQLite database) is required");
    const from = resolve(flags.from);
    const ctx = cliContext(io);
    const databaseUrl = ctx.config.MM_DATABASE_URL;
    if (!databaseUrl) {
      io.err("migrate-to-postgres: set MM_DATABASE_URL to the target Postgres (postgres://…)");
      return 1;
    }
    if (!existsSync(from)) {
      io.err(`migrate-to-postgres: no SQLite database at ${from}`);
      return 1;
    }
    let lock: ReturnType<typeof lockDataFolder>;
    try {
      lock = lockDataFolder(dirname(from));
    } catch (err) {
      if (!(err instanceof DataFolderLockedError)) throw err;
      io.err(
        `migrate-to-postgres: the service (pid ${err.pid ?? "unknown"}) is using ${from}; stop it first: systemctl stop magic-master`,
      );
      return 1;
    }
    try {
      const r = migrateSqliteFileToPostgres({ from, databaseUrl });
      printRecord(io, flags.json === true, {
        from,
        to: safeDatabaseUrl(databaseUrl),
        tables: r.tables.length,
        rows: r.tables.reduce((n, t) => n + t.rows, 0),
        per_table: Object.fromEntries(r.tables.map((t) => [t.table, t.rows])),
        ledger_users_checked: r.ledgerUsers,
        ledger_total: r.ledgerTotal,
        sequences_reset: r.sequences,
        ms: r.ms,
      });
      return 0;
    } catch (err) {
      // Refusals, mismatches and a row Postgres rejects all name the table; nothing was committed.
      io.err(`migrate-to-postgres: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    } finally {
      lock.release();
    }
  },
};
