// `magic-master admin extend-tier` as an operator runs it: the compiled binary on a data folder another
// connection keeps open. Extends from the current end, --ref replays once, refusals and usage errors.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDb, recentAudit, runMigrations, schema } from "../../src/db";
import { ensureBinary, type RunResult, runBinary, tempDir } from "./lib";

const DAY = 86_400_000;
let dataDir: string;
let dbh: DbHandle;
let userId = 0;

const cli = (...args: string[]): Promise<RunResult> =>
  runBinary(args, { MM_DATA_DIR: dataDir, MM_LOG_LEVEL: "warn" });
const json = (r: RunResult) => JSON.parse(r.stdout) as Record<string, unknown>;
const grants = () =>
  dbh.sqlite
    .query<{ n: number }, [number]>("SELECT count(*) AS n FROM tier_grants WHERE user_id = ?1")
    .get(userId)?.n;

beforeAll(async () => {
  dataDir = tempDir("mm-admin-subs-");
  await ensureBinary();
  dbh = openDb(join(dataDir, "magic-master.db"));
  runMigrations(dbh);
  const [u] = dbh.db
    .insert(schema.users)
    .values({ telegramId: "3001", telegramUsername: "carol" })
    .returning()
    .all();
  userId = u?.id ?? 0;
});
afterAll(() => dbh.sqlite.close());

describe("magic-master admin extend-tier", () => {
  it("grants pro from now, then extends it from its current end; audited with actor cli and the reason", async () => {
    const t0 = Date.now();
    const a = await cli(
      "admin",
      "extend-tier",
      "@carol",
      "pro",
      "30",
      "--reason",
      "manual payment",
      "--json",
    );
    expect(a.code, a.stderr).toBe(0);
    const first = json(a);
    expect(first).toMatchObject({ user_id: userId, tier: "pro", previous_tier: "free", applied: true });
    const end1 = Number(first.expires_at);
    expect(end1).toBeGreaterThanOrEqual(t0 + 30 * DAY);
    const b = await cli("admin", "extend-tier", "3001", "pro", "7", "--reason", "gift", "--json");
    expect(b.code, b.stderr).toBe(0);
    expect(json(b).expires_at).toBe(end1 + 7 * DAY);
    const audit = recentAudit(dbh.db, 10).filter((e) => e.target === `user:${userId}`);
    expect(audit.map((e) => `${e.actor} ${e.action} ${JSON.parse(e.details ?? "{}").note}`)).toEqual([
      "cli tier_extended gift",
      "cli tier_extended manual payment",
    ]);
  });

  it("extends once per --ref", async () => {
    const before = grants();
    const args = [
      "admin",
      "extend-tier",
      "@carol",
      "pro",
      "1",
      "--reason",
      "x",
      "--ref",
      "ticket-9",
      "--json",
    ];
    const a = await cli(...args);
    const b = await cli(...args);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([json(a).applied, json(b).applied]).toEqual([true, false]);
    expect(json(b).expires_at).toBe(json(a).expires_at);
    expect(grants()).toBe((before ?? 0) + 1);
  });

  it("exits 1 for a free or unknown tier or user, 2 for bad usage, changing nothing", async () => {
    const before = grants();
    const cases: [string[], number, string][] = [
      [["@carol", "free", "30", "--reason", "x"], 1, "admin extend-tier:"],
      [["@carol", "gold", "30", "--reason", "x"], 1, "admin extend-tier:"],
      [["@nobody", "pro", "30", "--reason", "x"], 1, "admin extend-tier:"],
      [["@carol", "pro", "30"], 2, "usage"],
      [["@carol", "pro", "0", "--reason", "x"], 2, "usage"],
      [["@carol", "pro"], 2, "usage"],
    ];
    for (const [args, code, text] of cases) {
      const r = await cli("admin", "extend-tier", ...args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr).toContain(text);
    }
    expect(grants()).toBe(before);
  });
});
