// The backends the accounts tests run on (test/fixtures/backends.ts: a migrated SQLite file and a fresh
// harness Postgres database each), with the accounts stores built on them. Call accountBackends() at the
// top level of a test file: it registers that file's set-up and clean-up.

import { createAccountStores } from "../../../src/accounts";
import { testBackends } from "../../fixtures/backends";
import type { AuditLine, StoreBackend } from "./store-suite-lib";

const AUDIT_SQL = "SELECT actor, action, target, details FROM audit_log ORDER BY id";

export function accountBackends(what: string): StoreBackend[] {
  return testBackends(what).map((b) => ({
    name: b.name,
    skip: b.skip,
    open(o = {}) {
      const db = b.open();
      return {
        stores: createAccountStores(db.backend, o),
        audit: () => db.all<AuditLine>(AUDIT_SQL),
        close: () => db.close(),
      };
    },
  }));
}
