// The backends the accounts tests run on: SQLite files in a temp dir (a migrated template copied per
// database) and Postgres (test/fixtures/postgres.ts: one server per test file, a fresh database each).
// Call accountBackends() at the top level of a test file: it registers that file's set-up and clean-up.

import { afterAll } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgAccountStores, createSqliteAccountStores } from "../../../src/accounts";
import { closeDb, openDb, PgClient, runMigrations } from "../../../src/db";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";
import type { AuditLine, StoreBackend } from "./store-suite-lib";

const AUDIT_SQL = "SELECT actor, action, target, details FROM audit_log ORDER BY id";

export function accountBackends(what: string): StoreBackend[] {
  const dir = mkdtempSync(join(tmpdir(), "mm-acc-stores-"));
  const template = join(dir, "template.db");
  const migrated = openDb(template);
  runMigrations(migrated);
  closeDb(migrated);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const sqlite: StoreBackend = {
    name: "SQLite",
    open(o = {}) {
      const file = join(dir, `t${++n}.db`);
      copyFileSync(template, file);
      const dbh = openDb(file);
      return {
        stores: createSqliteAccountStores(dbh, o),
        audit: () => dbh.sqlite.query<AuditLine, []>(AUDIT_SQL).all(),
        close: () => closeDb(dbh),
      };
    },
  };

  const noPg = postgresMissing(`${what} on Postgres`);
  const server = usePostgres(noPg);
  const postgres: StoreBackend = {
    name: "Postgres",
    skip: noPg,
    open(o = {}) {
      const pg = PgClient.connect(server().freshDatabase());
      return {
        stores: createPgAccountStores(pg, o),
        audit: () => pg.all<AuditLine>(AUDIT_SQL),
        close: () => pg.close(),
      };
    },
  };
  return [sqlite, postgres];
}
