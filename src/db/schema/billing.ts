// The billing area's tables (src/billing owns them): the append-only token ledger and its running balances,
// what can be bought, orders, their refunds, and the first provider-events table.

import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts";
import { now } from "./columns";

export const PLAN_KINDS = ["tokens", "tier"] as const;
export const ORDER_STATUSES = ["pending", "succeeded", "canceled", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Token ledger, append-only. The balance is the sum of `delta`; (reason, ref) makes each entry happen once.
 * `actor` says who moved the tokens ("system" for charges/refunds, "cli", "tg:<id>", "http:admin").
 * ledger_user_delta_idx covers the balance query (SUM(delta) WHERE user_id = ?), read from the index alone.
 */
export const ledger = sqliteTable(
  "ledger",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    ref: text("ref").notNull(),
    actor: text("actor").notNull().default("system"),
    note: text("note"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("ledger_reason_ref_uq").on(t.reason, t.ref),
    index("ledger_user_delta_idx").on(t.userId, t.delta),
  ],
);

/**
 * Each user's balance as a running sum of their ledger rows, written by the ledger store in the same
 * transaction as every ledger insert (never on its own), so reading a balance is one primary-key lookup
 * instead of a sum over all rows. `rows` counts the rows summed, so a check can tell a missed insert.
 * The property test (test/unit/billing/ledger-property.test.ts) compares it with SUM(delta) after every step.
 */
export const ledgerBalances = sqliteTable("ledger_balances", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  balance: integer("balance").notNull(),
  rows: integer("rows").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * What can be bought (billing owns it): a token pack or a tier for a period. Prices are data the admin
 * edits (`magic-master admin plans`); an order copies the plan's figures, so a later edit never alters it.
 * Money in minor units (kopecks) so sums are exact; `stars` is the Telegram Stars price (null: not sold).
 */
export const plans = sqliteTable("plans", {
  key: text("key").primaryKey(),
  kind: text("kind", { enum: PLAN_KINDS }).notNull(),
  tier: text("tier"),
  periodDays: integer("period_days").notNull().default(0),
  tokens: integer("tokens").notNull().default(0),
  amountMinor: integer("amount_minor").notNull(),
  currency: text("currency").notNull().default("RUB"),
  stars: integer("stars"),
  labelRu: text("label_ru").notNull(),
  labelEn: text("label_en").notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  sort: integer("sort").notNull().default(0),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * One purchase attempt, written before the provider is called (its id derives the Idempotence-Key).
 * State machine: pending → succeeded | canceled; succeeded → refunded. The plan's figures are copied in.
 * (provider, provider_payment_id) is unique: one order per provider payment.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    planKey: text("plan_key").notNull(),
    kind: text("kind", { enum: PLAN_KINDS }).notNull(),
    tier: text("tier"),
    periodDays: integer("period_days").notNull().default(0),
    tokens: integer("tokens").notNull().default(0),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    provider: text("provider").notNull(),
    providerPaymentId: text("provider_payment_id"),
    confirmationUrl: text("confirmation_url"),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    /** The last provider failure while creating (kept for the owner's status page and the operator). */
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    paidAt: integer("paid_at"),
    refundedAt: integer("refunded_at"),
  },
  (t) => [
    uniqueIndex("orders_provider_payment_uq").on(t.provider, t.providerPaymentId),
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_status_idx").on(t.status, t.createdAt),
  ],
);

/**
 * Every refund of a paid order (billing owns it), full or partial, once per provider refund (`ref`
 * unique: `<provider>:<payment id>` for a full refund, `…:<refund id>` for a partial one). What a refund
 * takes back is proportional to its share of the order's amount, counted cumulatively (`tokens_due`,
 * `days_due`), so partial refunds adding up to the whole take back exactly what the order gave;
 * `tokens_taken` is what the balance still held (spent tokens stay spent).
 */
export const orderRefunds = sqliteTable(
  "order_refunds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    ref: text("ref").notNull().unique(),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    tokensDue: integer("tokens_due").notNull().default(0),
    tokensTaken: integer("tokens_taken").notNull().default(0),
    daysDue: integer("days_due").notNull().default(0),
    actor: text("actor").notNull().default("system"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("order_refunds_order_idx").on(t.orderId), index("order_refunds_created_idx").on(t.createdAt)],
);

/** Payment provider events; provider_payment_id is unique so a webhook credits once. */
export const payments = sqliteTable("payments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  provider: text("provider").notNull(),
  providerPaymentId: text("provider_payment_id").notNull().unique(),
  userId: integer("user_id").references(() => users.id),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  product: text("product").notNull(),
  status: text("status").notNull(),
  raw: text("raw"),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});
