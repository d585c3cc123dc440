// The backends the billing store tests run on: SQLite files in a temp dir (a migrated template copied per
// database) and Postgres (test/fixtures/postgres.ts: one server per test file, a fresh database each).
// Call billingBackends() at the top level of a test file: it registers that file's set-up and clean-up.

import { afterAll } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AccountStores, createAccountStores } from "../../../src/accounts";
import { type BillingStores, createBillingStores } from "../../../src/billing";
import { type Backend, closeBackend, closeDb, openDb, PgClient, runMigrations } from "../../../src/db";
import { postgresMissing, usePostgres } from "../../fixtures/postgres";

/** One fresh database of a backend and its stores. */
export type BillingDb = {
  backend: Backend;
  stores: BillingStores;
  accounts: AccountStores;
  /** Rows of a read-only statement without parameters (portable SQL: checks against the tables). */
  rows<T>(sql: string): T[];
  /** A new Telegram user's id. */
  user(): number;
  close(): void;
};

export type BillingBackend = { name: string; skip?: boolean; open(): BillingDb };

let tg = 7000;

function dbOn(backend: Backend): BillingDb {
  const accounts = createAccountStores(backend);
  return {
    backend,
    stores: createBillingStores(backend),
    accounts,
    rows: <T>(sql: string) =>
      backend.kind === "postgres" ? backend.pg.all<T>(sql) : backend.dbh.sqlite.query<T, []>(sql).all(),
    user: () =>
      accounts.users.upsertTelegram({ telegramId: String(++tg), username: null, lang: "en" }, Date.now()).id,
    close: () => closeBackend(backend),
  };
}

export function billingBackends(what: string): BillingBackend[] {
  const dir = mkdtempSync(join(tmpdir(), "mm-bill-stores-"));
  const template = join(dir, "template.db");
  const migrated = openDb(template);
  runMigrations(migrated);
  closeDb(migrated);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const sqlite: BillingBackend = {
    name: "SQLite",
    open() {
      const file = join(dir, `t${++n}.db`);
      copyFileSync(template, file);
      return dbOn({ kind: "sqlite", dbh: openDb(file) });
    },
  };
  const noPg = postgresMissing(`${what} on Postgres`);
  const server = usePostgres(noPg);
  const postgres: BillingBackend = {
    name: "Postgres",
    skip: noPg,
    open: () => dbOn({ kind: "postgres", pg: PgClient.connect(server().freshDatabase()) }),
  };
  return [sqlite, postgres];
}
