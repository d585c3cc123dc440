// smoke-check's database checks on both backends (databaseChecks, used by localChecks): SQLite takes
// the write lock and names the journal mode; Postgres runs a write transaction that is rolled back (no
// row left), names the server version, and checks the migrations are at head — failing with what to do
// when they are behind or the database refuses writes.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { databaseChecks, runSmoke } from "../../../src/ops";
import { type TestDb, testBackends } from "../../fixtures/backends";

const [sqlite, postgres] = testBackends("smoke-check's database checks");

describe("smoke-check database checks on SQLite", () => {
  it("takes the write lock and names the journal mode", async () => {
    const db = sqlite!.open();
    try {
      expect(await runSmoke(databaseChecks(db.backend))).toEqual([
        { name: "database writable", ok: true, detail: "write lock ok, journal_mode=wal" },
      ]);
    } finally {
      db.close();
    }
  });
});

describe.skipIf(postgres?.skip ?? false)("smoke-check database checks on Postgres", () => {
  let db: TestDb;
  beforeEach(() => {
    db = postgres!.open();
  });
  afterEach(() => db.close());

  it("a rolled-back write transaction, the server version, migrations at head — and no row left", async () => {
    const rows = await runSmoke(databaseChecks(db.backend));
    expect(rows.map((r) => [r.name, r.ok])).toEqual([
      ["database writable", true],
      ["database server", true],
      ["database migrations", true],
    ]);
    expect(rows[0]?.detail).toBe("write transaction ok (rolled back)");
    expect(rows[1]?.detail).toMatch(
      /^PostgreSQL \d+\.\d+.* at postgres:\/\/postgres@127\.0\.0\.1:\d+\/mm_t_\d+$/,
    );
    expect(rows[2]?.detail).toMatch(/^at head \((\d+) applied, \1 known\)$/);
    expect(db.all("SELECT key FROM settings")).toEqual([]);
  });

  it("fails 'database migrations' with what to run when the database is behind head", async () => {
    db.exec(
      `DELETE FROM drizzle.__drizzle_migrations WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations)`,
    );
    const row = (await runSmoke(databaseChecks(db.backend))).find((r) => r.name === "database migrations");
    expect(row).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^behind head \(\d+ applied, \d+ known\); run magic-master migrate$/),
    });
  });

  it("fails 'database migrations' when the database is newer than this build", async () => {
    db.exec(`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)`);
    const row = (await runSmoke(databaseChecks(db.backend))).find((r) => r.name === "database migrations");
    expect(row).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/newer than this build .*; upgrade the binary$/),
    });
  });

  it("fails 'database writable' on a database that refuses writes", async () => {
    if (db.backend.kind !== "postgres") throw new Error("unreachable");
    db.exec("SET default_transaction_read_only = on");
    const row = (await runSmoke(databaseChecks(db.backend))).find((r) => r.name === "database writable");
    expect(row).toMatchObject({ ok: false, detail: expect.stringMatching(/read-only transaction/) });
  });
});
