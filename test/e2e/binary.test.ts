// The compiled binary as an operator uses it: serve, health, SIGTERM, CLI verbs and exit codes,
// backup while another process writes, restore refusing a running service.

import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, it } from "bun:test";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../fixtures/wait";
import { BINARY, ensureBinary, ROOT, runBinary, serveBinary, tempDir } from "./lib";

beforeAll(ensureBinary, 300_000);

describe("magic-master serve (compiled binary)", () => {
  // How long the stop takes is a figure (bench/shutdown.ts); here: it stops cleanly on SIGTERM.
  it("starts on PORT=0, logs its real address, answers health 200 and stops on SIGTERM with exit 0", async () => {
    const data = tempDir();
    const s = await serveBinary({ MM_DATA_DIR: data });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.url.endsWith(":0")).toBe(false);
    const res = await fetch(`${s.url}/api/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("ok");
    const { code } = await s.stop();
    expect(code).toBe(0);
    const events = s.lines().map((l) => l.event);
    expect(events).toContain("http_request");
    expect(events).toContain("shutdown_done");
    expect(s.lines().every((l) => l.event !== "non_json_line")).toBe(true);
    expect(existsSync(join(data, "magic-master.pid"))).toBe(false);
  });

  it("copied alone to another directory, starts, migrates a fresh database and serves", async () => {
    const dir = tempDir();
    const copy = join(dir, "magic-master");
    copyFileSync(BINARY, copy);
    Bun.spawnSync(["chmod", "+x", copy]);
    const s = await serveBinary({}, copy, dir);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    expect(existsSync(join(dir, "data", "magic-master.db"))).toBe(true);
    expect((await s.stop()).code).toBe(0);
  });

  it("stops start-up with exit 1 naming a bad variable", async () => {
    const r = await runBinary(["serve"], { PORT: "eighty", MM_DATA_DIR: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("PORT: must be a whole number");
  });
});

describe("CLI verbs", () => {
  it("help and version exit 0; an unknown verb prints usage on stderr and exits 2", async () => {
    expect((await runBinary(["help"])).stdout).toContain("smoke-check");
    const v = await runBinary(["version"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^magic-master \d+\.\d+\.\d+/);
    const u = await runBinary(["frobnicate"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("unknown command: frobnicate");
    expect(u.stderr).toContain("usage:");
    const o = await runBinary(["backup", "--bogus"], { MM_DATA_DIR: tempDir() });
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("unknown option --bogus");
  });

  it("validate-env prints every variable with secrets masked; exit 1 on an error", async () => {
    const ok = await runBinary(["validate-env"], { MM_BOT_TOKEN: "123456:SECRETSECRET" });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("MM_DATA_DIR");
    expect(ok.stdout).toContain("<redacted>");
    expect(ok.stdout).not.toContain("SECRETSECRET");
    const bad = await runBinary(["validate-env"], { MM_WORKERS: "many" });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/ERROR\s+MM_WORKERS/);
  });

  it("migrate applies migrations once; a second run applies none", async () => {
    const env = { MM_DATA_DIR: tempDir() };
    const first = JSON.parse((await runBinary(["migrate", "--json"], env)).stdout);
    expect(first.applied_now).toBeGreaterThan(0);
    const second = JSON.parse((await runBinary(["migrate", "--json"], env)).stdout);
    expect(second.applied_now).toBe(0);
  });

  it("smoke-check passes against a running service and fails (exit 1) when nothing listens", async () => {
    const data = tempDir();
    const s = await serveBinary({ MM_DATA_DIR: data });
    const pass = await runBinary(["smoke-check", "--url", s.url], { MM_DATA_DIR: data });
    expect(pass.stdout).toMatch(/PASS\s+health/);
    expect(pass.stdout).toMatch(/PASS\s+ffmpeg render/);
    expect(pass.code).toBe(0);
    await s.stop();
    const fail = await runBinary(["smoke-check", "--url", s.url], { MM_DATA_DIR: data });
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/FAIL\s+health/);
  });
});

describe("backup and restore", () => {
  it("an online backup taken while another process keeps writing passes integrity_check and has every committed row", async () => {
    const data = tempDir();
    expect((await runBinary(["migrate"], { MM_DATA_DIR: data })).code).toBe(0);
    const db = join(data, "magic-master.db");
    // A second process writes rows as fast as it can, each in its own transaction.
    const writer = Bun.spawn(
      [
        "bun",
        "-e",
        `
        import { Database } from "bun:sqlite";
        const db = new Database(${JSON.stringify(db)});
        db.exec("PRAGMA busy_timeout = 5000"); db.exec("PRAGMA journal_mode = WAL");
        const ins = db.prepare("INSERT INTO settings (key, value) VALUES (?, 'x')");
        for (let i = 0; ; i++) { ins.run("k" + i); if (i % 50 === 0) await Bun.sleep(1); }
      `,
      ],
      { cwd: ROOT, stdout: "ignore", stderr: "pipe" },
    );
    try {
      const count = () => {
        const r = new Database(db, { readonly: true });
        const n = (r.query("SELECT count(*) AS n FROM settings").get() as { n: number }).n;
        r.close();
        return n;
      };
      const committedBefore = await waitFor(() => count() >= 500 && count(), {
        what: "the writer to commit 500 rows",
        timeoutMs: 60_000,
      });
      const out = join(data, "online.db");
      const r = await runBinary(["backup", "--out", out, "--json"], { MM_DATA_DIR: data });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).integrity).toBe("ok");
      // The writer really kept writing (it was alive across the backup, not finished before it).
      await waitFor(() => count() > committedBefore, { what: "the writer to commit more rows" });
      const copy = new Database(out, { readonly: true });
      expect(
        (copy.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check,
      ).toBe("ok");
      expect(
        (copy.query("SELECT count(*) AS n FROM settings").get() as { n: number }).n,
      ).toBeGreaterThanOrEqual(committedBefore);
      copy.close();
    } finally {
      writer.kill();
      await writer.exited;
    }
  });

  it("restore refuses while the service runs, and works once it is stopped", async () => {
    const data = tempDir();
    const s = await serveBinary({ MM_DATA_DIR: data });
    const b = await runBinary(["backup", "--out", join(data, "b.db")], { MM_DATA_DIR: data });
    expect(b.code).toBe(0);
    const refused = await runBinary(["restore", join(data, "b.db")], { MM_DATA_DIR: data });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("stop it first");
    await s.stop();
    const ok = await runBinary(["restore", join(data, "b.db")], { MM_DATA_DIR: data });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("pre-restore");
    const missing = await runBinary(["restore", join(data, "nope.db")], { MM_DATA_DIR: data });
    expect(missing.code).toBe(1);
    expect((await runBinary(["restore"], { MM_DATA_DIR: data })).code).toBe(2);
  });
});
