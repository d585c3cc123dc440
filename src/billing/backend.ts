// The billing stores for the database MM_DATABASE_URL chose (src/db/backend.ts): SQLite or Postgres, the
// same interfaces, so the ledger, payments and admin reads never know which one they got.

import type { Backend } from "../db";
import { createPgBillingStores } from "./pg";
import { createSqliteBillingStores } from "./sqlite/stores";
import type { BillingStores } from "./stores";

export function createBillingStores(b: Backend): BillingStores {
  return b.kind === "postgres" ? createPgBillingStores(b.pg) : createSqliteBillingStores(b.dbh);
}
