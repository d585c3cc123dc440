// Issue 16 point 3: `magic-master migrate-to-postgres --from <sqlite file>` on a SQLite database filled
// by the real service over HTTP (accounts, sessions, API keys, a paid YooKassa order and its partial
// refund through the fake provider, a mastered job, the ledger, settings, audit rows) into a
// harness Postgres that has never been migrated. Every row of every table is compared afterwards, the
// table list is proven to cover the whole schema and the file, the identity sequences continue after
// the copied ids, a second run refuses the non-empty target, and a lossy target (a trigger dropping or
// changing a row) makes it exit 1 naming the table with nothing committed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { commands } from "../../../src/cli";
import type { CliIo } from "../../../src/cli/types";
import { closeDb, copyOrder, openDb, PgClient } from "../../../src/db";
import * as liteSchema from "../../../src/db/schema";
import { FakeYooKassa } from "../../fakes/yookassa";
import { cleanup, makeSine } from "../../fixtures/audio";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";
import { waitFor } from "../../fixtures/wait";
import { type AdminFixture, startAdminFixture } from "../admin/fixture";

const skip = postgresMissing("migrate-to-postgres onto a real Postgres");
const server = usePostgres(skip);

let f: AdminFixture;
let yk: FakeYooKassa;
let dbFile = "";
let dataDir = "";

type Row = Record<string, unknown>;
const SCHEMA_TABLES = Object.values(liteSchema as Record<string, unknown>)
  .filter((v): v is SQLiteTable => is(v, SQLiteTable))
  .map(getTableName)
  .sort();

/** A new database that has never been migrated: the verb must bring it to head itself. */
let dbNo = 0;
function emptyDatabase(): string {
  const admin = PgClient.connect(server().url());
  const name = `mm_copy_${++dbNo}`;
  admin.run(`CREATE DATABASE ${name}`);
  admin.close();
  return server().url(name);
}

async function runVerb(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { MM_DATA_DIR: dataDir, ...env },
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    isTty: false,
  };
  const verb = commands["migrate-to-postgres"];
  if (!verb) throw new Error("no migrate-to-postgres verb");
  const code = await verb.run(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Booleans as 0/1 and JSON as values on both sides, rows sorted by their text: comparable as sets. */
function normal(rows: Row[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : v]),
        ),
      ),
    )
    .sort();
}
const JSON_COLUMNS: Record<string, string[]> = { stats_daily: ["revenue_minor", "refunds_minor"] };
function parsedJson(table: string, rows: Row[]): Row[] {
  const cols = JSON_COLUMNS[table] ?? [];
  return rows.map((r) => {
    const o = { ...r };
    for (const c of cols) if (typeof o[c] === "string") o[c] = JSON.parse(o[c] as string);
    for (const c of cols) if (o[c] && typeof o[c] === "object") o[c] = sortKeys(o[c] as Row);
    return o;
  });
}
const sortKeys = (o: Row): Row =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

beforeAll(async () => {
  if (skip) return;
  yk = new FakeYooKassa();
  f = await startAdminFixture({
    MM_PUBLIC_URL: "https://master.example.test",
    MM_YOOKASSA_SHOP_ID: yk.shopId,
    MM_YOOKASSA_SECRET_KEY: yk.secretKey,
    MM_YOOKASSA_API_ROOT: yk.apiRoot,
    MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
    MM_CRON_RECONCILE: "off",
  });
  yk.webhookUrl = `${f.s.url}/api/payments/webhook`;
  dataDir = f.dir;
  dbFile = f.s.layout.db;
  const track = await makeSine(f.dir, { durationS: 2 });

  // A paying user credited by the admin, one master mastered by ffmpeg (job row, charge in the ledger).
  const payer = await f.payingUser("payer@example.com", 5);
  const done = await f.submitMaster(payer.auth, track);
  await waitFor(() => f.s.jobs.get(done)?.status === "done", { what: "job done", timeoutMs: 400_000 });
  // A buyer pays a YooKassa order (webhook credits 10 tokens), then the admin refunds a part of it.
  const buyer = await f.payingUser("buyer@example.com", 1);
  const created = await fetch(`${f.s.url}/api/payments/create`, {
    method: "POST",
    headers: { "content-type": "application/json", ...buyer.auth },
    body: JSON.stringify({ plan: "tokens_10", provider: "yookassa" }),
  });
  expect(created.status).toBe(200);
  const order = (await created.json()) as { order_id: string; payment_id: string };
  yk.pay(order.payment_id);
  await yk.settled();
  const refund = await f.call("admin", "POST", `/api/admin/payments/${order.order_id}/refund`, {
    amount: "250.00",
    reason: "partly",
    refund_no: 1,
  });
  expect(refund.status, await refund.clone().text()).toBe(200);
  // A preset of the payer's; a setting changed by the admin (a settings row and an audit row).
  const preset = await fetch(`${f.s.url}/api/auth/presets`, {
    method: "POST",
    headers: { "content-type": "application/json", ...payer.auth },
    body: JSON.stringify({ name: "mine", settings: {} }),
  });
  expect(preset.status, await preset.clone().text()).toBe(201);
  expect(
    (await f.call("admin_token", "PUT", "/api/admin/settings/result_ttl_h", { value: "48" })).status,
  ).toBe(200);
  // The service stops (as the operator must before the copy); the folder stays until afterAll.
  await f.s.stop();
}, 600_000);
afterAll(async () => {
  await yk?.stop();
  if (dataDir) await cleanup(dataDir);
});

describe.skipIf(skip)("migrate-to-postgres", () => {
  let report: { tables: number; per_table: Record<string, number>; ledger_users_checked: number };
  let target = "";

  test("copies every table into a fresh Postgres (migrated to head by the verb) and says what it did", async () => {
    target = emptyDatabase();
    const r = await runVerb(["--from", dbFile, "--json"], { MM_DATABASE_URL: target });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    report = JSON.parse(r.out);
    expect(report.ledger_users_checked).toBeGreaterThanOrEqual(2);
    // Rows the service wrote: the copy is not of an empty file.
    for (const t of ["users", "sessions", "api_keys", "ledger", "ledger_balances", "jobs", "orders"])
      expect(report.per_table[t], t).toBeGreaterThan(0);
    for (const t of ["order_refunds", "settings", "audit_log", "user_presets"])
      expect(report.per_table[t], t).toBeGreaterThan(0);
  });

  test("covers every table of the schema and of the SQLite file (a table left out fails here)", () => {
    expect(Object.keys(report.per_table).sort()).toEqual(SCHEMA_TABLES);
    expect([...copyOrder()].sort()).toEqual(SCHEMA_TABLES);
    const src = openDb(dbFile, { readonly: true });
    try {
      const inFile = (
        src.sqlite
          .query(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'",
          )
          .all() as { name: string }[]
      ).map((r) => r.name);
      expect(inFile.sort()).toEqual(SCHEMA_TABLES);
    } finally {
      closeDb(src);
    }
  });

  test("every row of every table is equal on both sides", () => {
    const src = openDb(dbFile, { readonly: true });
    const pg = PgClient.connect(target);
    try {
      for (const t of SCHEMA_TABLES) {
        const lite = parsedJson(t, src.sqlite.query(`SELECT * FROM "${t}"`).all() as Row[]);
        const post = parsedJson(t, pg.all(`SELECT * FROM "${t}"`));
        expect(post.length, t).toBe(report.per_table[t] as number);
        expect(normal(post), t).toEqual(normal(lite));
      }
    } finally {
      pg.close();
      closeDb(src);
    }
  });

  test("identity sequences continue after the copied ids", () => {
    const pg = PgClient.connect(target);
    try {
      const max = pg.get<{ m: number }>("SELECT max(id) AS m FROM users")?.m ?? 0;
      const row = pg.get<{ id: number }>(
        "INSERT INTO users (email) VALUES ('after-copy@example.com') RETURNING id",
      );
      expect(row?.id).toBeGreaterThan(max);
      const job = pg.get<{ m: number }>("SELECT max(id) AS m FROM ledger")?.m ?? 0;
      const uid = row?.id as number;
      const l = pg.get<{ id: number }>(
        "INSERT INTO ledger (user_id, delta, reason, ref) VALUES ($1, 1, 'test', 'after-copy') RETURNING id",
        [uid],
      );
      expect(l?.id).toBeGreaterThan(job);
    } finally {
      pg.close();
    }
  });

  test("a second run refuses the non-empty target and changes nothing", async () => {
    const before = PgClient.connect(target);
    const n = before.get<{ n: number }>("SELECT count(*) AS n FROM users")?.n;
    before.close();
    const r = await runVerb(["--from", dbFile], { MM_DATABASE_URL: target });
    expect(r.code).toBe(1);
    expect(r.err).toContain("the target Postgres is not empty (rows in users");
    const after = PgClient.connect(target);
    expect(after.get<{ n: number }>("SELECT count(*) AS n FROM users")?.n).toBe(n as number);
    after.close();
  });

  /** A target that loses or alters rows behind the copy's back (a trigger): the checks must see it. */
  async function lossyRun(table: string, body: string) {
    const url = emptyDatabase();
    const migrate = commands.migrate;
    if (!migrate) throw new Error("no migrate verb");
    const io = { env: { MM_DATA_DIR: dataDir, MM_DATABASE_URL: url }, out() {}, err() {}, isTty: false };
    expect(await migrate.run([], io)).toBe(0);
    const pg = PgClient.connect(url);
    try {
      pg.run(`CREATE FUNCTION lossy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$`);
      pg.run(`CREATE TRIGGER lossy BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION lossy()`);
      const r = await runVerb(["--from", dbFile], { MM_DATABASE_URL: url });
      const users = pg.get<{ n: number }>("SELECT count(*) AS n FROM users")?.n;
      return { ...r, users };
    } finally {
      pg.close();
    }
  }

  test("a row lost on the way: exit 1 naming the table, nothing committed", async () => {
    const r = await lossyRun("order_refunds", "RETURN NULL;");
    expect(r.code).toBe(1);
    expect(r.err).toContain("copy: order_refunds differs after the copy: 1 rows in SQLite, 0 in Postgres");
    expect(r.users).toBe(0);
  });

  test("a ledger delta changed on the way: exit 1 naming the ledger and the user, nothing committed", async () => {
    const r = await lossyRun(
      "ledger",
      "IF NEW.reason = 'payment_refund' THEN NEW.delta := NEW.delta + 1; END IF; RETURN NEW;",
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/copy: ledger differs after the copy: user \d+: ledger sum/);
    expect(r.users).toBe(0);
  });

  test("refuses without MM_DATABASE_URL, without --from, or with a missing file", async () => {
    expect((await runVerb(["--from", dbFile], {})).err).toContain("set MM_DATABASE_URL");
    expect((await runVerb(["--from", join(dataDir, "nope.db")], { MM_DATABASE_URL: target })).err).toContain(
      "no SQLite database at",
    );
    await expect(runVerb([], { MM_DATABASE_URL: target })).rejects.toThrow("--from FILE");
  });
});
