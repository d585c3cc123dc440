// The compiled binary against a real Postgres: `migrate` applies the embedded migrations/postgres once
// (the worker thread of the bridge runs inside the binary too), and a bad or unreachable MM_DATABASE_URL
// stops it with an error naming the variable and never the password.
import { beforeAll, describe, expect, it } from "bun:test";
import { PgClient } from "../../src/db/pg";
import { postgresMissing, usePostgres } from "../fixtures/postgres";
import { ensureBinary, runBinary, tempDir } from "./lib";

const skip = postgresMissing("the binary's Postgres migrate tests");
const server = usePostgres(skip);
beforeAll(() => ensureBinary(), 300_000);

describe.skipIf(skip)("magic-master on Postgres (MM_DATABASE_URL)", () => {
  it("migrate applies the Postgres migrations to an empty database once; a second run applies none", async () => {
    const admin = PgClient.connect(server().url());
    admin.run("CREATE DATABASE mm_binary");
    admin.close();
    const env = { MM_DATA_DIR: tempDir(), MM_DATABASE_URL: server().url("mm_binary") };
    const first = await runBinary(["migrate", "--json"], env);
    expect(first.stderr).toBe("");
    const out = JSON.parse(first.stdout);
    expect(out.applied_now).toBeGreaterThan(0);
    expect(out.migrations).toBe(out.known);
    expect(out.database).toBe(server().url("mm_binary"));
    const second = JSON.parse((await runBinary(["migrate", "--json"], env)).stdout);
    expect(second.applied_now).toBe(0);
    const pg = PgClient.connect(server().url("mm_binary"));
    try {
      expect(pg.get("SELECT count(*) AS n FROM jobs")).toEqual({ n: 0 });
      expect(pg.get("SELECT count(*) AS n FROM drizzle.__drizzle_migrations")).toEqual({ n: out.known });
    } finally {
      pg.close();
    }
  });

  it("refuses a database URL that is not Postgres, naming the variable and masking the value", async () => {
    const r = await runBinary(["migrate"], {
      MM_DATA_DIR: tempDir(),
      MM_DATABASE_URL: "mysql://u:hunter2@db/mm",
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("MM_DATABASE_URL");
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });

  it("says it cannot connect, naming MM_DATABASE_URL without the password, when nothing answers", async () => {
    const url = `postgres://mm:hunter2@127.0.0.1:${server().port}/no_such_database`;
    const r = await runBinary(["migrate"], { MM_DATA_DIR: tempDir(), MM_DATABASE_URL: url });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("MM_DATABASE_URL: cannot connect to Postgres at postgres://mm:***@127.0.0.1");
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });
});
