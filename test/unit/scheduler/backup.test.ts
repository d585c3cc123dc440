// The backup task: a checked copy named by UTC time, retention by the time in the name, alert on failure.
import { Database } from "bun:sqlite";
import { describe, expect, it } from "bun:test";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { backupFileName, backupTime } from "../../../src/db";
import { createScheduler, pruneBackups, TASKS } from "../../../src/scheduler";
import { DAY, makeEnv, NOW } from "./helpers";

const backup = TASKS.find((t) => t.name === "backup")!;

describe("backup task", () => {
  it("writes an integrity-checked copy into data/backups named by the UTC time", async () => {
    const e = makeEnv();
    const counts = await backup.run(e.deps());
    const expected = join(e.layout.backups, "backup-2026-11-23T12-00-00-000Z-00.db");
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
    expect(left).toEqual([...young, ...foreign, "backup-2026-11-23T12-00-00-000Z-00.db"].sort());
  });

  it("two runs in the same millisecond both write a backup and both prune (names stay unique)", async () => {
    const e = makeEnv({ MM_BACKUP_RETENTION_DAYS: "30" });
    const old = [backupFileName(new Date(NOW.getTime() - 40 * DAY)), "backup-2026-09-01T00-00-00Z.db"];
    for (const name of old) writeFileSync(join(e.layout.backups, name), "x");
    const [a, b] = await Promise.all([backup.run(e.deps()), backup.run(e.deps())]);
    expect(a?.path).not.toBe(b?.path);
    const paths = [a?.path, b?.path].map(String).sort();
    expect(paths).toEqual([
      join(e.layout.backups, "backup-2026-11-23T12-00-00-000Z-00.db"),
      join(e.layout.backups, "backup-2026-11-23T12-00-00-000Z-01.db"),
    ]);
    for (const p of paths) {
      const copy = new Database(p, { readonly: true });
      expect(copy.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
      copy.close();
    }
    // Retention ran in both: between them they deleted the two old ones, and each reported what it kept.
    expect((a?.backups_deleted as number) + (b?.backups_deleted as number)).toBe(2);
    expect(a).toHaveProperty("backups_kept");
    expect(b).toHaveProperty("backups_kept");
    expect(readdirSync(e.layout.backups).sort()).toEqual(paths.map((p) => basename(p)));
  });

  it("a third run in the same second, later millisecond, sorts after the first two", async () => {
    const e = makeEnv();
    const first = await backup.run(e.deps());
    const second = await backup.run(e.deps());
    const later = await backup.run(e.deps({ now: () => new Date(NOW.getTime() + 1) }));
    const names = [first, second, later].map((c) => basename(String(c.path)));
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(3);
    expect(names.map((n) => backupTime(n))).toEqual([NOW.getTime(), NOW.getTime(), NOW.getTime() + 1]);
  });

  it("reads the time from the name, not the file's mtime", () => {
    expect(backupTime("backup-2026-11-23T03-00-00-250Z-07.db")).toBe(Date.parse("2026-11-23T03:00:00.250Z"));
    // names written before millisecond precision still count for retention
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
    expect(readdirSync(e.layout.backups)).toEqual([old]); // the reserved name is given back
  });

  it("pruneBackups reports what it kept", () => {
    const e = makeEnv();
    writeFileSync(join(e.layout.backups, backupFileName(new Date(NOW.getTime() - 2 * DAY))), "x");
    expect(pruneBackups(e.layout.backups, NOW.getTime() - DAY)).toMatchObject({ kept: 0 });
  });
});
