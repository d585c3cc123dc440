// Every store of the billing area as one bundle, built for the database MM_DATABASE_URL chose
// (./backend.ts): the services take these, never a driver handle, so they run the same on SQLite and
// Postgres.

import type { BillingAnalytics } from "./analytics";
import type { OrderStore, PlanStore } from "./payment-store";
import type { Balances } from "./sqlite/balances";
import type { OrderAdmin } from "./sqlite/orders-admin";
import type { LedgerStore } from "./store";

export type BillingStores = {
  ledger: LedgerStore;
  plans: PlanStore;
  orders: OrderStore;
  /** Balances of many users at once (the admin user list). */
  balances: Balances;
  /** Orders as the admin panel lists them. */
  orderAdmin: OrderAdmin;
  /** The operator's money reports (CLI, dashboard). */
  analytics: BillingAnalytics;
};
