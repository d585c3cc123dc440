// The operator's analytics on the compiled binary (seed 001 "Аналитика"): admin top-spenders over the
// ledger's charges and refunds in a window, admin payments-stats over orders (count, total, average check,
// refunds, by status and plan) and the ledger's credit rows by reason; tables and --json; each run audited
// with actor cli. Rows are written by the billing stores on a second connection standing in for the service.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createSqliteLedgerStore } from "../../src/billing";
import { type DbHandle, openDb, runMigrations, schema } from "../../src/db";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

let dataDir: string;
let dbh: DbHandle;
const ids: Record<string, number> = {};
const DAY = 86_400_000;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });

beforeAll(async () => {
  dataDir = tempDir("mm-admin-reports-");
  await ensureBinary();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
  for (const [name, values] of [
    ["ann", { email: "ann@example.com", tier: "pro" }],
    ["ben", { telegramId: "3001", telegramUsername: "ben", tier: "studio" }],
    ["cat", { telegramId: "3002", tier: "pro" }],
    ["old", { email: "old@example.com", tier: "pro" }],
  ] as const) {
    const [u] = dbh.db.insert(schema.users).values(values).returning().all();
    ids[name] = u?.id ?? 0;
  }
  const store = createSqliteLedgerStore(dbh);
  const now = Date.now();
  let n = 0;
  const row = (user: string, delta: number, reason: string, createdAt = now, ref = `r${++n}`) =>
    store.append({ userId: ids[user] as number, delta, reason, ref, actor: "system", createdAt });
  // Top-ups: one by an operator, the rest paid.
  row("ann", 50, "admin_credit");
  row("ben", 100, "payment");
  row("cat", 20, "payment");
  row("old", 40, "payment", now - 60 * DAY);
  // Ann: 5 charged jobs, 1 refunded → spent 4. Ben: 7 charged, none refunded → 7. Cat: 1 charged and refunded → 0.
  for (let i = 0; i < 5; i++) row("ann", -1, "charge", now, `A${i}`);
  row("ann", 1, "refund", now, "A0");
  for (let i = 0; i < 7; i++) row("ben", -1, "charge", now, `B${i}`);
  row("cat", -1, "charge", now, "C0");
  row("cat", 1, "refund", now, "C0");
  // Old spent 9 two months ago: outside a 30-day window, inside a 90-day one.
  for (let i = 0; i < 9; i++) row("old", -1, "charge", now - 60 * DAY, `O${i}`);
  // Orders as the payments service writes them: two paid RUB packs (one later refunded), one pending, one
  // canceled, one paid two months ago.
  const order = (
    id: string,
    user: string,
    status: "succeeded" | "pending" | "canceled" | "refunded",
    minor: number,
    plan: string,
    at = now,
  ) =>
    dbh.db
      .insert(schema.orders)
      .values({
        id,
        userId: ids[user] as number,
        planKey: plan,
        kind: "tokens",
        tokens: 10,
        amountMinor: minor,
        currency: "RUB",
        provider: "yookassa",
        status,
        createdAt: at,
        updatedAt: at,
        paidAt: status === "succeeded" || status === "refunded" ? at : null,
      })
      .run();
  order("o1", "ben", "succeeded", 49_900, "tokens_100");
  order("o2", "cat", "refunded", 9_900, "tokens_20");
  order("o3", "ann", "pending", 9_900, "tokens_20");
  order("o4", "ann", "canceled", 49_900, "tokens_100");
  order("o5", "old", "succeeded", 19_900, "tokens_40", now - 60 * DAY);
});

afterAll(() => {
  dbh.sqlite.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const audits = (action: string) =>
  dbh.db
    .select()
    .from(schema.auditLog)
    .all()
    .filter((a) => a.action === action);

describe("magic-master admin top-spenders", () => {
  it("ranks users by tokens spent on jobs (charges − refunds) in the last 30 days, as JSON", async () => {
    const r = await cli("admin", "top-spenders", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { days: number; users: Record<string, unknown>[] };
    expect(out.days).toBe(30);
    expect(out.users).toEqual([
      {
        rank: 1,
        user_id: ids.ben,
        user: "@ben",
        tier: "studio",
        spent: 7,
        charged: 7,
        refunded: 0,
        jobs: 7,
        balance: 93,
      },
      {
        rank: 2,
        user_id: ids.ann,
        user: "ann@example.com",
        tier: "pro",
        spent: 4,
        charged: 5,
        refunded: 1,
        jobs: 5,
        balance: 46,
      },
    ]);
  });

  it("--days widens the window; --limit cuts the list; the table has a header and a row per user", async () => {
    const wide = JSON.parse((await cli("admin", "top-spenders", "--days", "90", "--json")).stdout) as {
      users: { user: string; spent: number }[];
    };
    expect(wide.users.map((u) => [u.user, u.spent])).toEqual([
      ["old@example.com", 9],
      ["@ben", 7],
      ["ann@example.com", 4],
    ]);
    const one = JSON.parse((await cli("admin", "top-spenders", "--limit", "1", "--json")).stdout) as {
      users: unknown[];
    };
    expect(one.users).toHaveLength(1);
    const table = await cli("admin", "top-spenders");
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[1]).toMatch(/^rank\s+user_id\s+user\s+tier\s+spent\s+charged\s+refunded\s+jobs\s+balance$/);
    expect(lines[2]).toMatch(/^1\s+\d+\s+@ben\s+studio\s+7\s+7\s+0\s+7\s+93$/);
    expect(lines).toHaveLength(4);
  });

  it("refuses bad arguments with usage (exit 2) and audits every run with actor cli", async () => {
    for (const args of [["--days", "0"], ["--days", "x"], ["extra"], ["--limit", "-1"]]) {
      const r = await cli("admin", "top-spenders", ...args);
      expect(r.code, args.join(" ")).toBe(2);
    }
    const a = audits("report_top_spenders");
    expect(a.length).toBe(4); // the four successful runs above
    expect(a.every((x) => x.actor === "cli")).toBe(true);
  });
});

describe("magic-master admin payments-stats", () => {
  it("gives count, total and average check of paid orders, refunds, status and plan groups, token sources", async () => {
    const r = await cli("admin", "payments-stats", "--json");
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout);
    expect(st.days).toBeNull();
    expect(st.paid).toEqual([
      {
        currency: "RUB",
        count: 3,
        amountMinor: 79_700,
        averageMinor: 26_567,
        refundedCount: 1,
        refundedMinor: 9_900,
      },
    ]);
    expect(st.byStatus).toEqual([
      { provider: "yookassa", status: "canceled", currency: "RUB", count: 1, amountMinor: 49_900 },
      { provider: "yookassa", status: "pending", currency: "RUB", count: 1, amountMinor: 9_900 },
      { provider: "yookassa", status: "refunded", currency: "RUB", count: 1, amountMinor: 9_900 },
      { provider: "yookassa", status: "succeeded", currency: "RUB", count: 2, amountMinor: 69_800 },
    ]);
    expect(st.byPlan[0]).toEqual({ plan: "tokens_100", currency: "RUB", count: 1, amountMinor: 49_900 });
    expect(st.credits).toEqual([
      { reason: "admin_credit", rows: 1, tokens: 50, users: 1 },
      { reason: "payment", rows: 3, tokens: 160, users: 3 },
    ]);
  });

  it("--days 30 leaves out what was paid earlier; the table shows major units", async () => {
    const st = JSON.parse((await cli("admin", "payments-stats", "--days", "30", "--json")).stdout);
    expect(st.days).toBe(30);
    expect(st.paid[0]).toMatchObject({ count: 2, amountMinor: 59_800, averageMinor: 29_900 });
    expect(st.credits).toContainEqual({ reason: "payment", rows: 2, tokens: 120, users: 2 });
    const table = await cli("admin", "payments-stats", "--days", "30");
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("last 30 days");
    expect(table.stdout).toMatch(/RUB\s+2\s+598\.00\s+299\.00\s+1\s+99\.00/);
    expect(table.stdout).toMatch(/yookassa\s+succeeded\s+RUB\s+1\s+499\.00/);
    expect(table.stdout).toMatch(/payment\s+2\s+120\s+2/);
    expect((await cli("admin", "payments-stats", "--days", "nope")).code).toBe(2);
    const a = audits("report_payments_stats");
    expect(a.map((x) => x.actor)).toEqual(["cli", "cli", "cli"]);
  });

  it("on a service without orders, shows zeros rather than failing", async () => {
    const empty = tempDir("mm-admin-reports-empty-");
    const h = openDb(join(empty, "magic-master.db"));
    runMigrations(h);
    h.sqlite.close();
    const r = await runBinary(["admin", "payments-stats"], { MM_DATA_DIR: empty, MM_LOG_LEVEL: "warn" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(no paid orders)");
    const j = JSON.parse(
      (await runBinary(["admin", "top-spenders", "--json"], { MM_DATA_DIR: empty })).stdout,
    );
    expect(j.users).toEqual([]);
    rmSync(empty, { recursive: true, force: true });
  });
});
