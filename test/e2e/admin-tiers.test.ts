// `magic-master admin tiers [set …]` as an operator runs it: the compiled binary on a data folder another
// connection (standing in for the service) keeps open. The seeded defaults, an audited change read back
// by that connection, --json, refusals (exit 1) and usage errors (exit 2).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { createSqliteAccountStores, createTiers } from "../../src/accounts";
import { type DbHandle, openDb, recentAudit, runMigrations } from "../../src/db";
import { silentLogger } from "../../src/log";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

let dataDir: string;
let dbh: DbHandle;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });

beforeAll(async () => {
  dataDir = tempDir("mm-admin-tiers-");
  await ensureBinary();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
});
afterAll(() => dbh.sqlite.close());

describe("magic-master admin tiers", () => {
  it("lists the seeded tiers as a table and as JSON", async () => {
    const table = await cli("admin", "tiers");
    expect(table.code).toBe(0);
    for (const name of ["guest", "free", "pro", "studio"]) expect(table.stdout).toContain(name);
    const r = await cli("admin", "tiers", "--json");
    expect(r.code).toBe(0);
    const tiers = JSON.parse(r.stdout) as { name: string; daily_cap: number | null; upload_max_mb: number }[];
    expect(Object.fromEntries(tiers.map((t) => [t.name, [t.daily_cap, t.upload_max_mb]]))).toEqual({
      guest: [null, 100],
      free: [null, 100],
      pro: [10, 300],
      studio: [30, 800],
    });
  });

  it("set changes a tier for the service's connection too, audited with actor cli", async () => {
    const r = await cli("admin", "tiers", "set", "free", "masters_per_period=3", "period=day", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "free", masters_per_period: 3, period: "day" });
    const seen = createTiers({
      stores: createSqliteAccountStores(dbh),
      log: silentLogger,
      billing: "on",
      cacheMs: 0,
    }).get("free");
    expect(seen).toMatchObject({ masters_per_period: 3, period: "day" });
    const audit = recentAudit(dbh.db, 5).find((a) => a.action === "tier_set");
    expect(audit).toMatchObject({ actor: "cli", target: "tier:free" });
  });

  it("refuses an unknown tier, field or value (exit 1, nothing changed) and a missing assignment (exit 2)", async () => {
    for (const args of [
      ["set", "gold", "daily_cap=1"],
      ["set", "pro", "colour=red"],
      ["set", "pro", "daily_cap=lots"],
      ["set", "pro", "formats=wav99"],
    ]) {
      const r = await cli("admin", "tiers", ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain("admin tiers:");
    }
    expect(
      createTiers({
        stores: createSqliteAccountStores(dbh),
        log: silentLogger,
        billing: "on",
        cacheMs: 0,
      }).get("pro").daily_cap,
    ).toBe(10);
    const usage = await cli("admin", "tiers", "set", "pro");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage");
  });
});
