// The admin panel's payments API under /api/admin (behind the admin guard): GET /payments lists orders
// with filters (status, provider, user, plan, an order or provider payment id) and pages; GET
// /payments/:id is one order as stored (the provider's payment id, confirmation URL, last error, times).
// Read-only: refunds and reconciling go through the payments service (CLI `admin refund`, the reconcile task).
import { Hono } from "hono";
import { z } from "zod";
import type { OrderAdmin, OrderRow } from "../../billing";
import { AppError } from "../../errors";
import type { AdminEnv } from "../middleware/admin-auth";
import { project } from "../project";
import { AdminOrderListSchema, AdminOrderSchema } from "./schemas-admin-users";
import { v } from "./validate";

export type AdminPaymentsRoutesDeps = { orders: OrderAdmin; find: (id: string) => OrderRow | undefined };

export const OrderListQuery = z.object({
  status: z.enum(["pending", "succeeded", "canceled", "refunded"]).optional(),
  provider: z.string().max(32).optional(),
  user: z.coerce.number().int().positive().optional(),
  plan: z.string().max(64).optional(),
  id: z.string().trim().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const view = (o: OrderRow) => ({
  id: o.id,
  user: o.userId,
  plan: o.planKey,
  kind: o.kind,
  tier: o.tier,
  period_days: o.periodDays,
  tokens: o.tokens,
  amount_minor: o.amountMinor,
  currency: o.currency,
  provider: o.provider,
  provider_payment_id: o.providerPaymentId,
  confirmation_url: o.confirmationUrl,
  status: o.status,
  last_error: o.lastError,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
  paid_at: o.paidAt,
  refunded_at: o.refundedAt,
});

export function adminPaymentsRoutes(d: AdminPaymentsRoutesDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get("/payments", v("query", OrderListQuery), (c) => {
    const q = c.req.valid("query");
    const { rows, total } = d.orders.list(
      {
        status: q.status,
        provider: q.provider || undefined,
        userId: q.user,
        plan: q.plan || undefined,
        id: q.id || undefined,
      },
      q.limit,
      q.offset,
    );
    c.header("Cache-Control", "no-store");
    return c.json(
      project(AdminOrderListSchema, { total, limit: q.limit, offset: q.offset, orders: rows.map(view) }),
    );
  });
  r.get("/payments/:id{[0-9a-fA-F-]{8,64}}", (c) => {
    const o = d.find(c.req.param("id"));
    if (!o) throw new AppError("order_not_found", 404);
    c.header("Cache-Control", "no-store");
    return c.json(project(AdminOrderSchema, view(o)));
  });
  return r;
}
