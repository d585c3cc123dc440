// The billing area's stores on Postgres: every interface on one synchronous client, so a settlement's
// order transition, ledger row and tier grant share one transaction, as on SQLite.

import type { PgClient } from "../../db";
import type { BillingStores } from "../stores";
import { createPgBillingAnalytics } from "./analytics";
import { createPgBalances } from "./balances";
import { createPgLedgerStore } from "./ledger";
import { createPgOrderStore } from "./orders";
import { createPgOrderAdmin } from "./orders-admin";
import { createPgPlanStore } from "./plans";

export { PG_BALANCE_SQL } from "./ledger";

export function createPgBillingStores(pg: PgClient): BillingStores {
  return {
    ledger: createPgLedgerStore(pg),
    plans: createPgPlanStore(pg),
    orders: createPgOrderStore(pg),
    balances: createPgBalances(pg),
    orderAdmin: createPgOrderAdmin(pg),
    analytics: createPgBillingAnalytics(pg),
  };
}
