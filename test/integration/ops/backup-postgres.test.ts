// Backups with MM_DATABASE_URL set (issue 16 point 3): Postgres is backed up with its own tools, so
// `backup` and `restore` refuse with the pg_dump / pg_restore commands, the scheduler's backup task says
// so once and writes no SQLite file, and the admin panel's backup routes answer a translated 409. The
// URL names no server: none of these may try to reach one, and the SQLite file they would copy is present.
import { describe, expect, it } from "bun:test";
import { copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { commands } from "../../../src/cli";
import type { CliIo } from "../../../src/cli/types";
import { createAuditLog } from "../../../src/db";
import { createApp } from "../../../src/http/app";
import { newCounters } from "../../../src/http/deps";
import { adminBackupsRoutes } from "../../../src/http/routes/admin-backups";
import { silentLogger } from "../../../src/log";
import { TASKS } from "../../../src/scheduler";
import { makeEnv } from "../../unit/scheduler/helpers";
import { setup, TOKEN } from "./setup";

const PG_URL = "postgres://mm@127.0.0.1:1/mm";
const DUMP = 'pg_dump -Fc "$MM_DATABASE_URL" -f magic-master-$(date -u +%Y%m%dT%H%M%SZ).dump';
const RESTORE = 'pg_restore --clean --if-exists --no-owner -d "$MM_DATABASE_URL" FILE.dump';

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const [verb, ...rest] = args;
  const code = await commands[verb as string]?.run(rest, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("backup and restore on Postgres", () => {
  it("`backup` refuses, naming pg_dump and pg_restore, and writes no file", async () => {
    const e = makeEnv();
    const r = await cli(["backup"], { MM_DATA_DIR: e.dir, MM_DATABASE_URL: PG_URL });
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      [
        "backup: the database is Postgres (MM_DATABASE_URL is set); magic-master backs up only its SQLite file.",
        "Postgres is backed up and restored with its own tools:",
        `  backup:  ${DUMP}`,
        `  restore: ${RESTORE}   (stop the service first)`,
      ].join("\n"),
    );
    expect(readdirSync(e.layout.backups)).toEqual([]);
    // The same call without the URL backs the SQLite file up: the refusal is the URL's doing.
    const ok = await cli(["backup", "--json"], { MM_DATA_DIR: e.dir });
    expect(ok.code).toBe(0);
    expect(readdirSync(e.layout.backups)).toHaveLength(1);
  });

  it("`restore FILE` refuses the same way and leaves the SQLite file as it was", async () => {
    const e = makeEnv();
    const file = join(e.dir, "old.db");
    copyFileSync(e.layout.db, file);
    const before = readFileSync(e.layout.db);
    const r = await cli(["restore", file], { MM_DATA_DIR: e.dir, MM_DATABASE_URL: PG_URL });
    expect(r.code).toBe(1);
    expect(r.err.split("\n")[0]).toBe(
      "restore: the database is Postgres (MM_DATABASE_URL is set); magic-master restores only its SQLite file.",
    );
    expect(r.err).toContain(DUMP);
    expect(r.err).toContain(RESTORE);
    expect(readFileSync(e.layout.db).equals(before)).toBe(true);
    expect(readdirSync(e.dir).filter((n) => n.includes("pre-restore"))).toEqual([]);
  });

  it("the scheduler's backup task logs once per process and writes nothing", async () => {
    const e = makeEnv({ MM_DATABASE_URL: PG_URL });
    const task = TASKS.find((t) => t.name === "backup");
    expect(await task?.run(e.deps())).toEqual({ skipped: "postgres" });
    expect(await task?.run(e.deps())).toEqual({ skipped: "postgres" });
    const told = e.lines.filter((l) => l.event === "backup_skipped_postgres");
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ level: "warn", task: "backup" });
    expect(String(told[0]?.msg)).toContain(DUMP);
    expect(readdirSync(e.layout.backups)).toEqual([]);
    expect(e.notes).toEqual([]);
  });

  it("GET /api/admin/backup/db answers 409 backup_postgres in the caller's language", async () => {
    const env = setup({ MM_DATABASE_URL: PG_URL });
    const res = await env.app.request("/api/admin/backup/db", {
      headers: { Authorization: `Bearer ${TOKEN}`, "Accept-Language": "ru" },
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("backup_postgres");
    expect(body.error.message).toBe(
      `База данных — Postgres: её бэкап делается средствами Postgres (${DUMP}), не здесь.`,
    );
    expect(readdirSync(env.layout.work)).toEqual([]);
  });

  it("POST /api/admin/backups answers 409 backup_postgres and reserves no file", async () => {
    const e = makeEnv({ MM_DATABASE_URL: PG_URL });
    const app = createApp(
      {
        config: e.config,
        log: silentLogger,
        layout: e.layout,
        startedAt: new Date(),
        counters: newCounters(),
        botStatus: () => "disabled",
        health: async () => {
          throw new Error("not asked");
        },
        version: "test",
      },
      [
        (a) => {
          a.route(
            "/api/admin",
            adminBackupsRoutes({
              layout: e.layout,
              audit: createAuditLog({ kind: "sqlite", dbh: e.dbh }),
              log: silentLogger,
              config: e.config,
            }),
          );
        },
      ],
    );
    const res = await app.request("/api/admin/backups", {
      method: "POST",
      headers: { "Accept-Language": "en" },
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: "backup_postgres",
      message: `The database is Postgres: back it up with Postgres's own tools (${DUMP}), not here.`,
    });
    expect(readdirSync(e.layout.backups)).toEqual([]);
    expect(statSync(e.layout.db).size).toBeGreaterThan(0);
  });
});
