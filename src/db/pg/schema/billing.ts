// The Postgres twin of src/db/schema/billing.ts (column meanings are documented there).

import { bigint, boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ORDER_STATUSES, PLAN_KINDS } from "../../schema/billing";
import { users } from "./accounts";
import { now } from "./columns";

export const ledger = pgTable(
  "ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    delta: bigint("delta", { mode: "number" }).notNull(),
    reason: text("reason").notNull(),
    ref: text("ref").notNull(),
    actor: text("actor").notNull().default("system"),
    note: text("note"),
    createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("ledger_reason_ref_uq").on(t.reason, t.ref),
    index("ledger_user_delta_idx").on(t.userId, t.delta),
  ],
);

export const ledgerBalances = pgTable("ledger_balances", {
  userId: bigint("user_id", { mode: "number" })
    .primaryKey()
    .references(() => users.id),
  balance: bigint("balance", { mode: "number" }).notNull(),
  rows: bigint("rows", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

export const plans = pgTable("plans", {
  key: text("key").primaryKey(),
  kind: text("kind", { enum: PLAN_KINDS }).notNull(),
  tier: text("tier"),
  periodDays: bigint("period_days", { mode: "number" }).notNull().default(0),
  tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
  amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
  currency: text("currency").notNull().default("RUB"),
  stars: bigint("stars", { mode: "number" }),
  labelRu: text("label_ru").notNull(),
  labelEn: text("label_en").notNull(),
  active: boolean("active").notNull().default(true),
  sort: bigint("sort", { mode: "number" }).notNull().default(0),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});

export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    planKey: text("plan_key").notNull(),
    kind: text("kind", { enum: PLAN_KINDS }).notNull(),
    tier: text("tier"),
    periodDays: bigint("period_days", { mode: "number" }).notNull().default(0),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    provider: text("provider").notNull(),
    providerPaymentId: text("provider_payment_id"),
    confirmationUrl: text("confirmation_url"),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    lastError: text("last_error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    paidAt: bigint("paid_at", { mode: "number" }),
    refundedAt: bigint("refunded_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("orders_provider_payment_uq").on(t.provider, t.providerPaymentId),
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_status_idx").on(t.status, t.createdAt),
  ],
);

export const orderRefunds = pgTable(
  "order_refunds",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    ref: text("ref").notNull().unique(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    tokensDue: bigint("tokens_due", { mode: "number" }).notNull().default(0),
    tokensTaken: bigint("tokens_taken", { mode: "number" }).notNull().default(0),
    daysDue: bigint("days_due", { mode: "number" }).notNull().default(0),
    actor: text("actor").notNull().default("system"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("order_refunds_order_idx").on(t.orderId), index("order_refunds_created_idx").on(t.createdAt)],
);

export const payments = pgTable("payments", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  provider: text("provider").notNull(),
  providerPaymentId: text("provider_payment_id").notNull().unique(),
  userId: bigint("user_id", { mode: "number" }).references(() => users.id),
  amount: bigint("amount", { mode: "number" }).notNull(),
  currency: text("currency").notNull(),
  product: text("product").notNull(),
  status: text("status").notNull(),
  raw: text("raw"),
  createdAt: bigint("created_at", { mode: "number" }).notNull().default(now),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull().default(now),
});
