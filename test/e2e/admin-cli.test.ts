// The runbook CLI as an operator runs it: a separate process on the same data folder while another
// connection (standing in for the service) keeps the database open. Checks output, --json and exit codes.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { type DbHandle, openDb, runMigrations, schema } from "../../src/db";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

let dataDir: string;
let dbh: DbHandle;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });

beforeAll(async () => {
  dataDir = tempDir("mm-admin-cli-");
  await ensureBinary();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
  const [alice] = dbh.db
    .insert(schema.users)
    .values({ telegramId: "1001", telegramUsername: "alice", tier: "pro", lastSeenAt: Date.now() })
    .returning()
    .all();
  const now = Date.now();
  const base = {
    accessToken: "very-secret-access-token",
    source: "bot" as const,
    userId: alice?.id ?? null,
    ownerKey: "tg:1001",
  };
  dbh.db
    .insert(schema.jobs)
    .values([
      { ...base, publicId: "Q2E4K7", status: "queued", createdAt: now - 3000 },
      // A guest's queued job: the cancel test's, untouched by alice's ban (which cancels hers).
      {
        ...base,
        userId: null,
        ownerKey: "ip:203.0.113.9",
        publicId: "Q3M8P5",
        status: "queued",
        createdAt: now - 2500,
      },
      {
        ...base,
        publicId: "FA7K22",
        status: "failed",
        errorCode: "ffmpeg_failed",
        errorDetail: "exit 1: Invalid data found",
        createdAt: now - 2000,
        finishedAt: now - 1000,
      },
      {
        ...base,
        publicId: "DN4E22",
        status: "done",
        createdAt: now - 1000,
        finishedAt: now,
        audioDurationS: 120,
        realtimeFactor: 9,
      },
    ])
    .run();
});

afterAll(() => dbh.sqlite.close());

describe("magic-master admin", () => {
  it("exits 2 with usage for a missing or unknown verb and bad options", async () => {
    for (const args of [
      ["admin"],
      ["admin", "bogus"],
      ["admin", "jobs", "--status", "nope"],
      ["admin", "jobs", "--limit", "0"],
      ["admin", "flags", "set", "x"],
      ["admin", "user"],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("usage: magic-master admin");
    }
  });

  it("reports a user by @username and by Telegram id; unknown users exit 1", async () => {
    const human = await cli("admin", "user", "@alice");
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/tier\s+pro/);
    expect(human.stdout).toMatch(/banned\s+false/);
    const json = JSON.parse((await cli("admin", "user", "1001", "--json")).stdout);
    expect(json).toMatchObject({ telegram_id: "1001", username: "alice", banned: false });
    const missing = await cli("admin", "user", "@nobody");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("admin user:");
  });

  it("bans and unbans with a reason, audited as cli", async () => {
    const ban = await cli("admin", "ban", "@alice", "--reason", "spam", "--json");
    expect(ban.code).toBe(0);
    // The ban cancels alice's queued job (refunded through billing like any cancel), not the guest's.
    expect(JSON.parse(ban.stdout)).toMatchObject({ jobs_cancelled: 1 });
    const status = (id: string) =>
      dbh.sqlite.query("select status from jobs where public_id = ?").get(id) as { status: string };
    expect(status("Q2E4K7").status).toBe("cancelled");
    expect(status("Q3M8P5").status).toBe("queued");
    expect(JSON.parse((await cli("admin", "user", "@alice", "--json")).stdout)).toMatchObject({
      banned: true,
      ban_reason: "spam",
    });
    expect((await cli("admin", "unban", "@alice")).code).toBe(0);
    const audit = dbh.db
      .select()
      .from(schema.auditLog)
      .all()
      .map((a) => [a.actor, a.action]);
    expect(audit).toContainEqual(["cli", "user_ban"]);
    expect(audit).toContainEqual(["cli", "user_unban"]);
  });

  it("lists jobs as a table or JSON and never prints access tokens", async () => {
    const table = await cli("admin", "jobs");
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^publicId\s+status\s+kind/);
    expect(table.stdout).toContain("FA7K22");
    const failed = JSON.parse((await cli("admin", "jobs", "--status", "failed", "--json")).stdout) as {
      publicId: string;
    }[];
    expect(failed.map((j) => j.publicId)).toEqual(["FA7K22"]);
    const one = await cli("admin", "job", "#fa7k22");
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/errorDetail\s+exit 1: Invalid data found/);
    for (const r of [table, one]) expect(r.stdout).not.toContain("very-secret-access-token");
    expect((await cli("admin", "job", "NOPE99")).code).toBe(1);
  });

  it("cancels a queued job once; a second cancel exits 1", async () => {
    const r = await cli("admin", "cancel", "Q3M8P5", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: "Q3M8P5", status: "cancelled" });
    const again = await cli("admin", "cancel", "Q3M8P5");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already finished");
  });

  it("sets flags and maintenance; the service's open connection sees them at once", async () => {
    expect((await cli("admin", "flags", "set", "new_ui", "on")).code).toBe(0);
    expect(JSON.parse((await cli("admin", "flags", "--json")).stdout)).toEqual({ new_ui: true });
    const bad = await cli("admin", "flags", "set", "New-UI", "on");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("Invalid flag name");
    expect((await cli("admin", "maintenance", "on", "--message", "Обновление до 15:00")).code).toBe(0);
    const row = dbh.db
      .select()
      .from(schema.settings)
      .all()
      .find((s) => s.key === "maintenance");
    expect(JSON.parse(row?.value ?? "{}")).toMatchObject({
      on: true,
      message: "Обновление до 15:00",
      by: "cli",
    });
    const shown = await cli("admin", "maintenance");
    expect(shown.stdout).toMatch(/on\s+true/);
    expect((await cli("admin", "maintenance", "off")).code).toBe(0);
  });

  it("shows daily stats with today live", async () => {
    const r = await cli("admin", "stats", "--days", "2", "--json");
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { days: { date: string; jobsDone: number; jobsFailed: number }[] };
    expect(body.days[0]).toMatchObject({ jobsDone: 1, jobsFailed: 1 });
  });
});

describe("magic-master cron", () => {
  it("lists tasks with their schedules and next run", async () => {
    const r = await cli("cron", "list");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^name\s+schedule\s+next_run_utc/);
    for (const name of ["backup", "cleanup", "sweep", "alerts", "stats", "auth_sweep"])
      expect(r.stdout).toContain(name);
  });

  it("runs a task by hand and prints its counts; unknown tasks exit 2", async () => {
    const r = await cli("cron", "run", "backup", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { task: string; path: string };
    expect(out.task).toBe("backup");
    expect(readdirSync(join(dataDir, "backups"))).toContain(basename(out.path));
    expect((await cli("cron", "run", "stats")).stdout).toMatch(/days_written\s+2/);
    expect((await cli("cron", "run", "nope")).code).toBe(2);
    expect((await cli("cron")).code).toBe(2);
  });
});
