import { Database } from "bun:sqlite";
import { describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  backupDatabase,
  closeDb,
  inspectBackup,
  openDb,
  recentAudit,
  recordAudit,
  restoreDatabase,
  runMigrations,
  SchemaTooNewError,
  schemaState,
} from "../../../src/db";

const tmp = () => mkdtempSync(join(tmpdir(), "mm-db-"));

describe("openDb", () => {
  it("sets busy_timeout, WAL, synchronous=NORMAL and foreign keys on the connection", () => {
    const h = openDb(join(tmp(), "a", "x.db"));
    const get = (p: string) => Object.values(h.sqlite.query(`PRAGMA ${p}`).get() as object)[0];
    expect(get("busy_timeout")).toBe(5000);
    expect(get("journal_mode")).toBe("wal");
    expect(get("synchronous")).toBe(1);
    expect(get("foreign_keys")).toBe(1);
    closeDb(h);
  });
});

describe("runMigrations", () => {
  it("creates every table on an empty database and is a no-op the second time", () => {
    const h = openDb(join(tmp(), "x.db"));
    expect(runMigrations(h)).toBeGreaterThan(0);
    expect(runMigrations(h)).toBe(0);
    const tables = (
      h.sqlite.query("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [
      "users",
      "ledger",
      "jobs",
      "payments",
      "bot_sessions",
      "settings",
      "audit_log",
      "feedback",
      "stats_daily",
    ])
      expect(tables).toContain(t);
    const s = schemaState(h);
    expect(s.applied).toBe(s.known);
    closeDb(h);
  });

  it("refuses a database whose schema is newer than this build", () => {
    const h = openDb(join(tmp(), "x.db"));
    runMigrations(h);
    h.sqlite.exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)");
    expect(() => runMigrations(h)).toThrow(SchemaTooNewError);
    closeDb(h);
  });

  it("keeps the ledger's (reason, ref) unique so a charge happens once", () => {
    const h = openDb(join(tmp(), "x.db"));
    runMigrations(h);
    h.sqlite.exec("INSERT INTO users (telegram_id) VALUES ('1')");
    h.sqlite.exec("INSERT INTO ledger (user_id, delta, reason, ref) VALUES (1, -1, 'charge', 'JOB1')");
    expect(() =>
      h.sqlite.exec("INSERT INTO ledger (user_id, delta, reason, ref) VALUES (1, -1, 'charge', 'JOB1')"),
    ).toThrow(/UNIQUE/);
    closeDb(h);
  });
});

describe("audit log", () => {
  it("records actor, action, target and details, newest first", () => {
    const h = openDb(join(tmp(), "x.db"));
    runMigrations(h);
    recordAudit(h.db, { actor: "cli", action: "ban", target: "user:1", details: { reason: "spam" } });
    recordAudit(h.db, { actor: "tg:42", action: "unban", target: "user:1" });
    const rows = recentAudit(h.db);
    expect(rows.map((r) => r.action)).toEqual(["unban", "ban"]);
    expect(JSON.parse(rows[1]?.details ?? "{}")).toEqual({ reason: "spam" });
    closeDb(h);
  });
});

describe("backupDatabase / restoreDatabase", () => {
  it("writes an integrity-checked copy with the same rows, off the main thread", async () => {
    const dir = tmp();
    const h = openDb(join(dir, "x.db"));
    runMigrations(h);
    for (let i = 0; i < 200; i++) h.sqlite.exec(`INSERT INTO settings (key, value) VALUES ('k${i}', '${i}')`);
    const r = await backupDatabase(h.path, join(dir, "b.db"));
    expect(r.integrity).toBe("ok");
    const copy = new Database(r.path, { readonly: true });
    expect((copy.query("SELECT count(*) AS n FROM settings").get() as { n: number }).n).toBe(200);
    copy.close();
    closeDb(h);
  });

  it("refuses to overwrite an existing file and leaves no partial file on failure", async () => {
    const dir = tmp();
    const h = openDb(join(dir, "x.db"));
    runMigrations(h);
    writeFileSync(join(dir, "exists.db"), "x");
    await expect(backupDatabase(h.path, join(dir, "exists.db"))).rejects.toThrow(/refusing to overwrite/);
    await expect(backupDatabase(h.path, join(dir, "no-such-dir", "b.db"))).rejects.toThrow();
    expect(existsSync(join(dir, "no-such-dir", "b.db"))).toBe(false);
    closeDb(h);
  });

  it("restores a backup, keeping the old database aside", async () => {
    const dir = tmp();
    const h = openDb(join(dir, "x.db"));
    runMigrations(h);
    h.sqlite.exec("INSERT INTO settings (key, value) VALUES ('before', '1')");
    await backupDatabase(h.path, join(dir, "b.db"));
    h.sqlite.exec("INSERT INTO settings (key, value) VALUES ('after', '1')");
    closeDb(h);
    const { keptOld } = restoreDatabase(join(dir, "b.db"), join(dir, "x.db"));
    expect(keptOld).toContain("pre-restore");
    const back = openDb(join(dir, "x.db"));
    expect(
      (back.sqlite.query("SELECT key FROM settings").all() as { key: string }[]).map((r) => r.key),
    ).toEqual(["before"]);
    closeDb(back);
  });

  it("refuses a file that is not SQLite, one without our schema, and one from a newer build", () => {
    const dir = tmp();
    writeFileSync(join(dir, "text.db"), "hello, I am not a database at all".repeat(200));
    expect(() => restoreDatabase(join(dir, "text.db"), join(dir, "x.db"))).toThrow();
    const foreign = new Database(join(dir, "foreign.db"));
    foreign.exec("CREATE TABLE t (x)");
    foreign.close();
    expect(() => restoreDatabase(join(dir, "foreign.db"), join(dir, "x.db"))).toThrow(
      /not a Magic Master backup/,
    );
    const h = openDb(join(dir, "newer.db"));
    runMigrations(h);
    h.sqlite.exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)");
    closeDb(h);
    expect(inspectBackup(join(dir, "newer.db")).integrity).toBe("ok");
    expect(() => restoreDatabase(join(dir, "newer.db"), join(dir, "x.db"))).toThrow(/newer than this build/);
    expect(readdirSync(dir).filter((f) => f.startsWith("x.db"))).toEqual([]);
  });
});
