// The accounts store suite (store-suite.ts) on every backend: SQLite files in a temp dir (a migrated
// template copied per test) and Postgres (test/fixtures/postgres.ts, a fresh database per test).

import { afterAll } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgAccountStores, createSqliteAccountStores } from "../../../src/accounts";
import { closeDb, openDb, PgClient, runMigrations } from "../../../src/db";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";
import { accountStoreSuite } from "./store-suite";

const dir = mkdtempSync(join(tmpdir(), "mm-acc-stores-"));
const template = join(dir, "template.db");
const migrated = openDb(template);
runMigrations(migrated);
closeDb(migrated);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
accountStoreSuite({
  name: "SQLite",
  open() {
    const file = join(dir, `t${++n}.db`);
    copyFileSync(template, file);
    const dbh = openDb(file);
    return {
      stores: createSqliteAccountStores(dbh),
      auditActions: () =>
        dbh.sqlite
          .query<{ action: string }, []>("SELECT action FROM audit_log ORDER BY id")
          .all()
          .map((r) => r.action),
      close: () => closeDb(dbh),
    };
  },
});

const noPg = postgresMissing("the accounts store suite on Postgres");
const server = usePostgres(noPg);
accountStoreSuite({
  name: "Postgres",
  skip: noPg,
  open() {
    const pg = PgClient.connect(server().freshDatabase());
    return {
      stores: createPgAccountStores(pg),
      auditActions: () =>
        pg.all<{ action: string }>("SELECT action FROM audit_log ORDER BY id").map((r) => r.action),
      close: () => pg.close(),
    };
  },
});
