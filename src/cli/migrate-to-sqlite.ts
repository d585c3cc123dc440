// `magic-master migrate-to-sqlite --to FILE`: the way back from scaling out, a copy of the Postgres
// MM_DATABASE_URL names into a new SQLite file (db/to-sqlite.ts does the copy and its checks). Every
// node must be stopped, or rows they write after the snapshot are not in the file: the verb refuses
// while any node still beats in the nodes table (`--force` copies anyway, from one consistent snapshot).
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { migratePostgresToSqliteFile, PgClient, safeDatabaseUrl } from "../db";
import { dataLayout, localPathOf } from "../files";
import { createPgNodeStore, DataFolderLockedError, lockDataFolder } from "../ops";
import { parseArgs } from "./args";
import { cliContext, printRecord } from "./context";
import { type Command, UsageError } from "./types";

/** Job rows name their files by the path a node wrote them at; on one machine they live in its folder
 * (the bucket synced into it keeps uploads/ and results/), so the copy names them there. */
function pathsInto(dataDir: string) {
  const layout = dataLayout(dataDir);
  const move = (v: unknown) => {
    if (typeof v !== "string" || !v) return v;
    try {
      return localPathOf(layout, v);
    } catch {
      return v; // not under uploads/ or results/: kept as written
    }
  };
  return (table: string, row: Record<string, unknown>) => {
    if (table !== "jobs") return row;
    return { ...row, input_path: move(row.input_path), result_path: move(row.result_path) };
  };
}

/** Nodes that beat within the dead interval, as "id (roles)". */
function liveNodes(databaseUrl: string, deadAfterMs: number): string[] {
  const pg = PgClient.connect(databaseUrl);
  try {
    const has = pg.get<{ t: string | null }>("SELECT to_regclass('public.nodes')::text AS t");
    if (!has?.t) return [];
    return createPgNodeStore(pg)
      .live(Date.now() - deadAfterMs)
      .map((n) => `${n.id} (${n.roles})`);
  } finally {
    pg.close();
  }
}

export const migrateToSqliteCommand: Command = {
  summary: "copy the Postgres MM_DATABASE_URL names into a new SQLite file (every node stopped)",
  usage: [
    "usage: MM_DATABASE_URL=postgres://… magic-master migrate-to-sqlite --to FILE [--force] [--json]",
    "Creates FILE at this build's schema, copies every table from one Postgres snapshot in one",
    "transaction and checks row counts and every user's ledger sum before committing. Stop every",
    "node first: it refuses while a node still beats (--force copies anyway).",
  ].join("\n"),
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, {
      to: { type: "string" },
      force: { type: "boolean" },
      json: { type: "boolean" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (typeof flags.to !== "string") throw new UsageError("--to FILE (the new SQLite database) is required");
    const to = resolve(flags.to);
    const ctx = cliContext(io);
    const databaseUrl = ctx.config.MM_DATABASE_URL;
    if (!databaseUrl) {
      io.err("migrate-to-sqlite: set MM_DATABASE_URL to the source Postgres (postgres://…)");
      return 1;
    }
    if (existsSync(to) && statSync(to).size > 0) {
      // Most likely the file the installation moved from: never written over, not even migrated.
      io.err(`migrate-to-sqlite: ${to} exists; copy into a new file (move the old one away first)`);
      return 1;
    }
    const live = liveNodes(databaseUrl, ctx.config.MM_NODE_DEAD_S * 1000);
    if (live.length && flags.force !== true) {
      io.err(
        `migrate-to-sqlite: ${live.length} node(s) still running on ${safeDatabaseUrl(databaseUrl)}: ${live.join(", ")}; stop every node first (or --force)`,
      );
      return 1;
    }
    let lock: ReturnType<typeof lockDataFolder>;
    try {
      lock = lockDataFolder(dirname(to));
    } catch (err) {
      if (!(err instanceof DataFolderLockedError)) throw err;
      io.err(
        `migrate-to-sqlite: a service (pid ${err.pid ?? "unknown"}) is using ${dirname(to)}; stop it first`,
      );
      return 1;
    }
    try {
      const r = migratePostgresToSqliteFile({ databaseUrl, to, rewrite: pathsInto(dirname(to)) });
      printRecord(io, flags.json === true, {
        from: safeDatabaseUrl(databaseUrl),
        to,
        tables: r.tables.length,
        rows: r.tables.reduce((n, t) => n + t.rows, 0),
        per_table: Object.fromEntries(r.tables.map((t) => [t.table, t.rows])),
        ledger_users_checked: r.ledgerUsers,
        ledger_total: r.ledgerTotal,
        ms: r.ms,
      });
      return 0;
    } catch (err) {
      // Refusals, mismatches and a row SQLite rejects all name the table; nothing was committed.
      io.err(`migrate-to-sqlite: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    } finally {
      lock.release();
    }
  },
};
