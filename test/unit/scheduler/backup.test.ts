// The backup task: a checked copy named by UTC time, retention by the time in the name, alert on failure.
import { Database } from "bun:sqlite";
import { describe, expect, it } from "bun:test";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backupFileName } from "../../../src/cli/db";
import { backupTime, createScheduler, pruneBackups, TASKS } from "../../../src/scheduler";
import { DAY, makeEnv, NOW } from "./helpers";

const backup = TASKS.find((t) => t.name === "backup")!;

describe("backup task", () => {
  it("writes an integrity-checked copy into data/backups named by the UTC time", async () => {
    const e = makeEnv();
    const counts = await backup.run(e.deps());
    const expected = join(e.layout.backups, "backup-2026-11-23T12-00-00Z.db");
    expect(counts.path).toBe(expected);
    expect(counts.bytes).toBeGreaterThan(0);
    const copy = new Database(expected, { readonly: true });
    expect(copy.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    expect(copy.query("SELECT count(*) AS n FROM jobs").get()).toEqual({ n: 0 });
    copy.close();
  });

  it("deletes exactly the backups older than MM_BACKUP_RETENTION_DAYS and nothing else", async () => {
    const e = makeEnv({ MM_BACKUP_RETENTION_DAYS: "30" });
    const at = (ms: number) => backupFileName(new Date(NOW.getTime() - ms));
    const tooOld = [at(31 * DAY), at(30 * DAY + 1000), at(400 * DAY)];
    const young = [at(30 * DAY), at(29 * DAY), at(DAY), at(60_000)];
    const foreign = ["notes.txt", "backup-manual.db", "backup-2026-13-45T99-00-00Z.db", "restore-me.db"];
    for (const name of [...tooOld, ...young, ...foreign]) writeFileSync(join(e.layout.backups, name), "x");
    const counts = await backup.run(e.deps());
    expect(counts.backups_deleted).toBe(3);
    const left = readdirSync(e.layout.backups).sort();
    expect(left).toEqual([...young, ...foreign, "backup-2026-11-23T12-00-00Z.db"].sort());
  });

  it("reads the time from the name, not the file's mtime", () => {
    expect(backupTime("backup-2026-11-23T03-00-00Z.db")).toBe(Date.parse("2026-11-23T03:00:00Z"));
    expect(backupTime("backup-2026-11-23T03-00-00Z.db.gz")).toBeNull();
    expect(backupTime("magic-master.db")).toBeNull();
  });

  it("alerts the admin, logs cron_failed and keeps old backups when the copy fails", async () => {
    const e = makeEnv();
    const old = backupFileName(new Date(NOW.getTime() - 90 * DAY));
    writeFileSync(join(e.layout.backups, old), "x");
    rmSync(e.layout.db, { force: true });
    const s = createScheduler({ ...e.deps(), notify: e.deps().notify });
    await expect(s.runOnce("backup")).rejects.toThrow(/database not found/);
    expect(e.notes.map((n) => n.kind)).toEqual(["backup_failed"]);
    expect(e.notes[0]?.text).toContain("Database backup failed");
    expect(e.lines.find((l) => l.event === "cron_failed")).toMatchObject({ task: "backup", level: "error" });
    expect(existsSync(join(e.layout.backups, old))).toBe(true);
  });

  it("pruneBackups reports what it kept", () => {
    const e = makeEnv();
    writeFileSync(join(e.layout.backups, backupFileName(new Date(NOW.getTime() - 2 * DAY))), "x");
    expect(pruneBackups(e.layout.backups, NOW.getTime() - DAY)).toMatchObject({ kept: 0 });
  });
});
