// The admin panel's payments API under /api/admin (behind the admin guard): GET /payments lists orders
// with filters (status, provider, user, plan, an order or provider payment id) and pages; GET
// /payments/:id is one order as stored (the provider's payment id, confirmation URL, last error, times);
// GET /payments/:id/provider re-fetches the provider's object now beside what we store; POST
// /payments/:id/refund refunds through the provider (billing's refundOrder, the call behind the CLI's
// `admin refund` and the bot's /refund); POST /payments/:id/reconcile re-fetches and settles that order now.
// Refunds and reconciles are audited with the actor, the client address and the money before/after.
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  type OperatorRefund,
  type OrderAdmin,
  type OrderMoneyState,
  type OrderRow,
  type Payments,
  parseMoney,
  type RefundResult,
} from "../../billing";
import type { Actor, AuditLog } from "../../db";
import { AppError, isAppError } from "../../errors";
import { errorMessage } from "../../i18n";
import { langOf } from "../errors";
import type { AdminEnv } from "../middleware/admin-auth";
import { project } from "../project";
import {
  AdminOrderActionSchema,
  AdminOrderRecordSchema,
  ReconcileInput,
  RefundInput,
} from "./schemas-admin-payments";
import { AdminOrderListSchema, AdminOrderSchema } from "./schemas-admin-users";
import { v } from "./validate";

export type AdminPaymentsRoutesDeps = {
  orders: OrderAdmin;
  find: (id: string) => OrderRow | undefined;
  /** The order actions; absent in set-ups without billing (those routes are then not registered). */
  actions?: {
    payments: Pick<Payments, "reconcileOne" | "providerRecord" | "moneyState" | "stored">;
    /** billing's refundOrder with the running service's providers, bot API and audit log. */
    refund: (orderId: string, by: Actor, req: OperatorRefund) => Promise<RefundResult>;
    audit: Pick<AuditLog, "record">;
  };
  now?: () => number;
};

const ORDER = "/payments/:id{[0-9a-fA-F-]{8,64}}";

/** The order by id, or 404 order_not_found. */
const found =
  (d: Pick<AdminPaymentsRoutesDeps, "find">) =>
  (id: string): OrderRow => {
    const o = d.find(id);
    if (!o) throw new AppError("order_not_found", 404);
    return o;
  };

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
  const must = found(d);
  r.get(ORDER, (c) => {
    const o = must(c.req.param("id"));
    c.header("Cache-Control", "no-store");
    return c.json(project(AdminOrderSchema, view(o)));
  });
  if (d.actions) mountActions(r, d, d.actions);
  return r;
}

type Actions = NonNullable<AdminPaymentsRoutesDeps["actions"]>;

/** The acting admin (set by the guard) and the client address, for the audit log. */
const actor = (c: Context<AdminEnv>): Actor => ({
  actor: c.get("admin").actor,
  ip: c.get("clientIp") ?? null,
});

function mountActions(r: Hono<AdminEnv>, d: AdminPaymentsRoutesDeps, a: Actions): void {
  const now = d.now ?? Date.now;
  const must = found(d);
  const state = (id: string): OrderMoneyState => {
    const m = a.payments.moneyState(id);
    if (!m) throw new AppError("order_not_found", 404);
    return m;
  };
  const answer = (
    c: Context<AdminEnv>,
    outcome: string,
    id: string,
    before: OrderMoneyState | undefined,
    after: OrderMoneyState | undefined,
  ) => {
    c.header("Cache-Control", "no-store");
    const cur = state(id);
    return c.json(
      project(AdminOrderActionSchema, {
        outcome,
        order: view(must(id)),
        before: before ?? cur,
        after: after ?? cur,
      }),
    );
  };

  r.get(`${ORDER}/provider`, async (c) => {
    const o = must(c.req.param("id"));
    let remote: z.infer<typeof AdminOrderRecordSchema>["remote"];
    try {
      const rec = await a.payments.providerRecord(o.id);
      remote = { ok: true, fetched_at: now(), ...rec };
    } catch (err) {
      if (!isAppError(err)) throw err;
      // The stored part is still worth showing when the provider is down: the error goes in its place.
      remote = {
        ok: false,
        error: { code: err.code, message: errorMessage(langOf(c), err.code, err.params) },
      };
    }
    const { refunds, ledger } = a.payments.stored(o.id);
    c.header("Cache-Control", "no-store");
    return c.json(
      project(AdminOrderRecordSchema, {
        order: view(o),
        remote,
        money: state(o.id),
        refunds: refunds.map((x) => ({
          id: x.id,
          ref: x.ref,
          amount_minor: x.amountMinor,
          currency: x.currency,
          tokens_due: x.tokensDue,
          tokens_taken: x.tokensTaken,
          days_due: x.daysDue,
          actor: x.actor,
          created_at: x.createdAt,
        })),
        ledger: ledger.map((x) => ({
          id: x.id,
          delta: x.delta,
          reason: x.reason,
          ref: x.ref,
          actor: x.actor,
          note: x.note,
          created_at: x.createdAt,
        })),
      }),
    );
  });

  r.post(`${ORDER}/refund`, v("json", RefundInput), async (c) => {
    const id = must(c.req.param("id")).id;
    const body = c.req.valid("json");
    const amountMinor = body.amount === undefined ? undefined : parseMoney(body.amount.replace(",", "."));
    if (amountMinor === 0) throw new AppError("refund_amount_invalid", 400, { max: "—", currency: "" });
    const r = await a.refund(id, actor(c), { amountMinor, reason: body.reason, refundNo: body.refund_no });
    return answer(c, r.outcome, id, r.before, r.after);
  });

  r.post(`${ORDER}/reconcile`, v("json", ReconcileInput), async (c) => {
    const id = must(c.req.param("id")).id;
    const by = actor(c);
    const before = a.payments.moneyState(id);
    const base = { ...by, target: `order:${id}`, before };
    try {
      const outcome = await a.payments.reconcileOne(id);
      const after = a.payments.moneyState(id);
      a.audit.record({ ...base, action: "payment_reconcile", details: { outcome }, after });
      return answer(c, outcome, id, before, after);
    } catch (err) {
      a.audit.record({
        ...base,
        action: "payment_reconcile_failed",
        details: { code: isAppError(err) ? err.code : "internal_error" },
      });
      throw err;
    }
  });
}
