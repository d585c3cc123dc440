// Orders as the admin panel lists them: filters (status, provider, user, plan, an order or provider
// payment id, a time window), newest first, with a total for pagination. Read-only: every state change of
// an order goes through the payments service (settlement), never through here.
import { and, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { type DbHandle, schema } from "../../db";
import type { OrderRow } from "../payment-store";

const { orders } = schema;

export type OrderFilter = {
  status?: string;
  provider?: string;
  userId?: number;
  plan?: string;
  /** An order id or the provider's payment id (exact). */
  id?: string;
  /** Created in [from, to) (unix ms). */
  from?: number;
  to?: number;
};

export type OrderList = { rows: OrderRow[]; total: number };

export type OrderAdmin = { list(f: OrderFilter, limit: number, offset: number): OrderList };

export function createSqliteOrderAdmin(h: DbHandle): OrderAdmin {
  return {
    list(f, limit, offset) {
      const parts: (SQL | undefined)[] = [
        f.status ? eq(orders.status, f.status as OrderRow["status"]) : undefined,
        f.provider ? eq(orders.provider, f.provider) : undefined,
        f.userId !== undefined ? eq(orders.userId, f.userId) : undefined,
        f.plan ? eq(orders.planKey, f.plan) : undefined,
        f.id ? or(eq(orders.id, f.id), eq(orders.providerPaymentId, f.id)) : undefined,
        f.from !== undefined ? gte(orders.createdAt, f.from) : undefined,
        f.to !== undefined ? lt(orders.createdAt, f.to) : undefined,
      ];
      const cond = and(...parts);
      const total = h.db.select({ n: sql<number>`count(*)` }).from(orders).where(cond).get()?.n ?? 0;
      const rows = h.db
        .select()
        .from(orders)
        .where(cond)
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit)
        .offset(offset)
        .all();
      return { rows, total };
    },
  };
}
