// The synchronous Postgres bridge against a real server (test/fixtures/postgres.ts): values come back as
// the stores expect them, constraint failures carry SQLite's codes, transactions commit, roll back and
// nest, a dead or silent server gives a clear error, and migrations apply once.
import { afterEach, describe, expect, it } from "bun:test";
import { isUniqueViolation, PgClient, PgError, pgSchemaState, runPgMigrations } from "../../../src/db/pg";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";

const skip = postgresMissing("the Postgres client tests");
const server = usePostgres(skip);

const open: PgClient[] = [];
const connect = (url = server().freshDatabase(), opts = {}) => {
  const c = PgClient.connect(url, opts);
  open.push(c);
  return c;
};
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe.skipIf(skip)("PgClient (real Postgres)", () => {
  it("returns int8, numeric and aggregates as numbers, and text, booleans, nulls and jsonb as they are", () => {
    const pg = connect();
    const row = pg.get(
      `SELECT 1733000000123::int8 AS ms, 2.5::numeric AS n, count(*) AS c, sum(x) AS s, avg(x) AS a,
              'x'::text AS t, true AS b, null::int8 AS z, '{"RUB": 5}'::jsonb AS j
         FROM (VALUES (1), (2)) v(x)`,
    );
    expect(row).toEqual({
      ms: 1733000000123,
      n: 2.5,
      c: 2,
      s: 3,
      a: 1.5,
      t: "x",
      b: true,
      z: null,
      j: { RUB: 5 },
    });
  });

  it("refuses an int8 that a JavaScript number cannot hold exactly", () => {
    const pg = connect();
    expect(() => pg.get("SELECT 9007199254740993::int8 AS big")).toThrow(/does not fit/);
  });

  it("passes parameters (undefined as NULL) and counts changed rows", () => {
    const pg = connect();
    expect(pg.get("SELECT $1::text AS a, $2::int8 AS b, $3::text AS c", ["é", 42, undefined])).toEqual({
      a: "é",
      b: 42,
      c: null,
    });
    const userIds = [1, 2, 3].map(
      (i) =>
        pg.get<{ id: number }>("INSERT INTO users (telegram_id) VALUES ($1) RETURNING id", [`t${i}`])?.id,
    );
    expect(userIds).toEqual([1, 2, 3]);
    expect(pg.run("UPDATE users SET lang = 'ru' WHERE id >= $1", [2])).toBe(2);
    expect(pg.all("SELECT id FROM users WHERE lang = 'ru' ORDER BY id")).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it("reports a unique violation with SQLite's code and wording, so existing catch sites work", () => {
    const pg = connect();
    pg.run("INSERT INTO users (email) VALUES ('a@x')");
    let caught: unknown;
    try {
      pg.run("INSERT INTO users (email) VALUES ('a@x')");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PgError);
    expect((caught as PgError).code).toBe("SQLITE_CONSTRAINT_UNIQUE");
    expect((caught as PgError).sqlState).toBe("23505");
    expect((caught as PgError).constraint).toBe("users_email_unique");
    expect(String(caught)).toContain("UNIQUE");
    expect(isUniqueViolation(caught)).toBe(true);
    // A foreign key is not a unique violation.
    let fk: unknown;
    try {
      pg.run("INSERT INTO ledger (user_id, delta, reason, ref) VALUES (999, 1, 'x', 'y')");
    } catch (err) {
      fk = err;
    }
    expect((fk as PgError).code).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
    expect(isUniqueViolation(fk)).toBe(false);
  });

  it("commits a transaction, rolls one back on throw, and a nested one is a savepoint", () => {
    const pg = connect();
    const emails = () => pg.all<{ email: string }>("SELECT email FROM users ORDER BY id").map((r) => r.email);
    expect(
      pg.tx(() => pg.get<{ id: number }>("INSERT INTO users (email) VALUES ('a') RETURNING id")?.id),
    ).toBe(1);
    expect(() =>
      pg.tx(() => {
        pg.run("INSERT INTO users (email) VALUES ('b')");
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(emails()).toEqual(["a"]);
    pg.tx(() => {
      pg.run("INSERT INTO users (email) VALUES ('c')");
      expect(pg.inTransaction).toBe(true);
      expect(() =>
        pg.tx(() => {
          pg.run("INSERT INTO users (email) VALUES ('d')");
          pg.run("INSERT INTO users (email) VALUES ('a')"); // unique violation inside the savepoint
        }),
      ).toThrow(/UNIQUE/);
      pg.run("INSERT INTO users (email) VALUES ('e')");
    });
    expect(emails()).toEqual(["a", "c", "e"]);
    expect(pg.inTransaction).toBe(false);
  });

  it("sees another connection's committed rows, and not its uncommitted ones", () => {
    const url = server().freshDatabase();
    const a = connect(url);
    const b = connect(url);
    a.tx(() => {
      a.run("INSERT INTO users (email) VALUES ('x')");
      expect(b.get("SELECT count(*) AS n FROM users")).toEqual({ n: 0 });
    });
    expect(b.get("SELECT count(*) AS n FROM users")).toEqual({ n: 1 });
  });

  it("names MM_DATABASE_URL (without the password) when the server cannot be reached", () => {
    const url = `postgres://mm:secret@127.0.0.1:${server().port}/no_such_db`;
    let msg = "";
    try {
      PgClient.connect(url, { connectTimeoutMs: 5_000 });
    } catch (err) {
      msg = String(err);
    }
    expect(msg).toContain("MM_DATABASE_URL: cannot connect to Postgres at postgres://mm:***@127.0.0.1:");
    expect(msg).not.toContain("secret");
  });

  it("drops a connection that does not answer in time, fails the open transaction, and reconnects after", () => {
    const pg = connect(undefined, { queryTimeoutMs: 300 });
    expect(() => pg.get("SELECT pg_sleep(30)")).toThrow(/no answer within 300 ms/);
    expect(pg.get("SELECT 2 AS two")).toEqual({ two: 2 });
    let inner: unknown;
    expect(() =>
      pg.tx(() => {
        pg.run("INSERT INTO users (email) VALUES ('lost')");
        try {
          pg.get("SELECT pg_sleep(30)");
        } catch (err) {
          inner = err;
        }
        pg.run("INSERT INTO users (email) VALUES ('after')"); // must not run outside the lost transaction
      }),
    ).toThrow(/connection dropped inside a transaction/);
    expect((inner as PgError).code).toBe("PG_TIMEOUT");
    expect(pg.get("SELECT count(*) AS n FROM users")).toEqual({ n: 0 });
  });

  it("applies the migrations once: a second run applies none and the state says up to date", () => {
    const pg = connect();
    // The template was migrated already; the copy carries the bookkeeping.
    expect(runPgMigrations(pg)).toBe(0);
    const s = pgSchemaState(pg);
    expect(s.applied).toBe(s.known);
    expect(s.latestApplied).toBe(s.latestKnown);
    const blank = `mm_blank_${Date.now()}`;
    connect(server().url()).run(`CREATE DATABASE ${blank}`);
    const fresh = connect(server().url(blank));
    expect(runPgMigrations(fresh)).toBe(s.known);
    expect(fresh.get("SELECT count(*) AS n FROM jobs")).toEqual({ n: 0 });
    expect(runPgMigrations(fresh)).toBe(0);
  });
});
