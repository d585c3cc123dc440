// The billing stores on one SQLite handle.

import type { DbHandle } from "../../db";
import type { BillingStores } from "../stores";
import { createSqliteBillingAnalytics } from "./analytics";
import { createSqliteBalances } from "./balances";
import { createSqliteLedgerStore } from "./index";
import { createSqliteOrderAdmin } from "./orders-admin";
import { createSqliteOrderStore, createSqlitePlanStore } from "./payments";

export function createSqliteBillingStores(h: DbHandle): BillingStores {
  return {
    ledger: createSqliteLedgerStore(h),
    plans: createSqlitePlanStore(h),
    orders: createSqliteOrderStore(h),
    balances: createSqliteBalances(h),
    orderAdmin: createSqliteOrderAdmin(h),
    analytics: createSqliteBillingAnalytics(h),
  };
}
