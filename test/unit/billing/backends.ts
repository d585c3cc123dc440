// The backends the billing store tests run on (test/fixtures/backends.ts: a migrated SQLite file and a fresh
// harness Postgres database each), with the billing and accounts stores built on them. Call
// billingBackends() at the top level of a test file: it registers that file's set-up and clean-up.

import { type AccountStores, createAccountStores } from "../../../src/accounts";
import { type BillingStores, createBillingStores } from "../../../src/billing";
import type { Backend } from "../../../src/db";
import { type TestDb, testBackends } from "../../fixtures/backends";

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

function dbOn(db: TestDb): BillingDb {
  const accounts = createAccountStores(db.backend);
  return {
    backend: db.backend,
    stores: createBillingStores(db.backend),
    accounts,
    rows: <T>(sql: string) => db.all<T>(sql),
    user: () =>
      accounts.users.upsertTelegram({ telegramId: String(++tg), username: null, lang: "en" }, Date.now()).id,
    close: () => db.close(),
  };
}

export function billingBackends(what: string): BillingBackend[] {
  return testBackends(what).map((b) => ({ name: b.name, skip: b.skip, open: () => dbOn(b.open()) }));
}
