// The ledger verbs as an operator runs them: the compiled binary on a data folder another connection
// (standing in for the service) keeps open. Balances, adjustments with reason and actor, refusals, --json.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, runMigrations, schema } from "../../src/db";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

let dataDir: string;
let dbh: DbHandle;
let aliceId = 0;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });

const ledgerRows = () =>
  dbh.sqlite
    .query<{ user_id: number; delta: number; reason: string; actor: string; note: string }, []>(
      "SELECT user_id, delta, reason, actor, note FROM ledger ORDER BY id",
    )
    .all();

beforeAll(async () => {
  dataDir = tempDir("mm-admin-ledger-");
  await ensureBinary();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
  const [alice] = dbh.db
    .insert(schema.users)
    .values({ telegramId: "2001", telegramUsername: "alice", tier: "pro" })
    .returning()
    .all();
  aliceId = alice?.id ?? 0;
});

afterAll(() => dbh.sqlite.close());

describe("magic-master admin balance/credit/debit/ledger", () => {
  it("exits 2 with usage for a missing amount, a bad amount or a missing reason", async () => {
    for (const args of [
      ["admin", "credit", "@alice"],
      ["admin", "credit", "@alice", "0", "--reason", "x"],
      ["admin", "credit", "@alice", "-5", "--reason", "x"],
      ["admin", "debit", "@alice", "1.5", "--reason", "x"],
      ["admin", "credit", "@alice", "5"],
      ["admin", "balance"],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("usage");
    }
    expect(ledgerRows()).toHaveLength(0);
  });

  it("credits and debits with a reason, written as ledger rows and audit entries by cli", async () => {
    const credit = await cli("admin", "credit", "@alice", "10", "--reason", "manual top-up", "--json");
    expect(credit.code).toBe(0);
    expect(JSON.parse(credit.stdout)).toMatchObject({ user_id: aliceId, delta: 10, balance: 10 });
    const debit = await cli("admin", "debit", "2001", "3", "--reason", "correction");
    expect(debit.code).toBe(0);
    expect(debit.stdout).toMatch(/balance\s+7/);
    expect(ledgerRows()).toEqual([
      { user_id: aliceId, delta: 10, reason: "admin_credit", actor: "cli", note: "manual top-up" },
      { user_id: aliceId, delta: -3, reason: "admin_debit", actor: "cli", note: "correction" },
    ]);
    const audit = dbh.db
      .select()
      .from(schema.auditLog)
      .all()
      .map((a) => [a.actor, a.action, a.target]);
    expect(audit).toContainEqual(["cli", "ledger_credit", `user:${aliceId}`]);
    expect(audit).toContainEqual(["cli", "ledger_debit", `user:${aliceId}`]);
  });

  it("refuses a debit below zero: exit 1, the balance named, nothing written", async () => {
    const before = ledgerRows().length;
    const r = await cli("admin", "debit", "@alice", "8", "--reason", "too much");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("admin debit:");
    expect(r.stderr).toContain("balance 7");
    expect(ledgerRows()).toHaveLength(before);
  });

  it("shows the balance and the rows as a table or JSON; unknown users exit 1", async () => {
    const bal = await cli("admin", "balance", "@alice");
    expect(bal.code).toBe(0);
    expect(bal.stdout).toMatch(/balance\s+7/);
    expect(JSON.parse((await cli("admin", "balance", "@alice", "--json")).stdout)).toMatchObject({
      user_id: aliceId,
      balance: 7,
    });
    const table = await cli("admin", "ledger", "@alice");
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+createdAt\s+delta\s+reason/);
    expect(table.stdout).toContain("manual top-up");
    const rows = JSON.parse((await cli("admin", "ledger", "@alice", "--json")).stdout) as { delta: number }[];
    expect(rows.map((r) => r.delta)).toEqual([-3, 10]);
    const missing = await cli("admin", "balance", "@nobody");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("admin balance:");
  });
});
