// `magic-master admin plans set|add` as an operator runs it: the compiled binary on a data folder another
// connection (standing in for the service) keeps open. Several fields in one audited change, all or
// nothing; a new plan listed at once; refusals (exit 1, nothing changed) and usage errors (exit 2). The
// admin panel's editor calls the same service (test/integration/admin/pricing-api.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { createPlans } from "../../src/billing";
import { createSqlitePlanStore } from "../../src/billing/sqlite/payments";
import { createAuditLog, type DbHandle, openDb, recentAudit, runMigrations } from "../../src/db";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

let dataDir: string;
let dbh: DbHandle;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });
/** The plan as the service's own connection reads it. */
const seen = (key: string) =>
  createPlans({ store: createSqlitePlanStore(dbh), audit: createAuditLog({ kind: "sqlite", dbh }) }).get(key);

beforeAll(async () => {
  dataDir = tempDir("mm-admin-plans-");
  await ensureBinary();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
  seen("tokens_1"); // seeds the price list
});
afterAll(() => dbh.sqlite.close());

describe("magic-master admin plans", () => {
  it("set changes several fields in one audited change", async () => {
    const r = await cli("admin", "plans", "set", "tokens_10", "price=900", "tokens=11", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: "tokens_10", amountMinor: 90_000, tokens: 11 });
    expect(seen("tokens_10")).toMatchObject({ amountMinor: 90_000, tokens: 11 });
    const rows = recentAudit(dbh.db, 5).filter((a) => a.action === "plan_set");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: "cli", target: "plan:tokens_10" });
  });

  it("one bad value refuses the whole change (exit 1), nothing is written", async () => {
    const r = await cli("admin", "plans", "set", "tokens_10", "tokens=12", "price=lots");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("price");
    expect(seen("tokens_10")).toMatchObject({ amountMinor: 90_000, tokens: 11 });
  });

  it("add puts a new plan on the list; a taken key is refused; a bad call is a usage error", async () => {
    const r = await cli(
      "admin",
      "plans",
      "add",
      "pro_quarter",
      "kind=tier",
      "tier=pro",
      "price=2700",
      "period_days=90",
      "tokens=150",
      "label_ru=Pro на квартал",
      "label_en=Pro for a quarter",
    );
    expect(r.code).toBe(0);
    expect(seen("pro_quarter")).toMatchObject({
      kind: "tier",
      tier: "pro",
      periodDays: 90,
      amountMinor: 270_000,
    });
    const list = await cli("admin", "plans", "--json");
    expect((JSON.parse(list.stdout) as { key: string }[]).map((p) => p.key)).toContain("pro_quarter");
    expect(recentAudit(dbh.db, 5).find((a) => a.action === "plan_add")).toMatchObject({ actor: "cli" });

    const taken = await cli("admin", "plans", "add", "pro_quarter", "kind=tier", "tier=pro", "price=1");
    expect(taken.code).toBe(1);
    const usage = await cli("admin", "plans", "add", "tokens_3", "kind=gift", "price=1");
    expect(usage.code).toBe(2);
    expect((await cli("admin", "plans", "set", "tokens_1")).code).toBe(2);
  });
});
