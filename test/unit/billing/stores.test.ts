// The billing store suites on every backend (backends.ts): SQLite and Postgres.

import { billingBackends } from "./backends";
import { ledgerSuite } from "./store-suite-ledger";
import { ordersSuite } from "./store-suite-orders";

for (const b of billingBackends("the billing store suite")) {
  ledgerSuite(b);
  ordersSuite(b);
}
