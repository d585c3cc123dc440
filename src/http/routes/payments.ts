// /api/payments/*: the plans, creating a payment (signed-in users), the owner's view of an order, and the
// YooKassa notification endpoint. The notification body is never believed: the service re-fetches the
// payment with our credentials. Only a transient failure on our side (the API unreachable, the database
// busy) answers non-200, so YooKassa retries; duplicates, unknown ids and forgeries answer 200 (logged).
// Platega callbacks carry our own X-MerchantId + X-Secret (no body signature): both compared in constant
// time, then the transaction is re-fetched the same way.
import { Hono } from "hono";
import type { Payments, Plans } from "../../billing";
import { ProviderError } from "../../billing";
import { AppError } from "../../errors";
import type { Logger } from "../../log";
import { langOf } from "../errors";
import { tokensEqual } from "../middleware/admin-auth";
import type { CallerEnv } from "../middleware/auth";
import { ipAllowList } from "../middleware/ip-allow";
import type { RouteDoc } from "./openapi";
import {
  CreatedPaymentSchema,
  CreatePaymentInput,
  orderView,
  plansView,
  WebhookAckSchema,
} from "./schemas-payments";
import { v } from "./validate";

export type PaymentsRoutesDeps = {
  plans: Plans;
  payments: Payments;
  webhookIps: readonly string[];
  /** Platega's credentials, which its callbacks must carry; undefined = Platega off (callbacks refused). */
  platega?: { merchantId: string; secret: string };
  log: Logger;
};

export const WEBHOOK_PATH = "/api/payments/webhook";
export const PLATEGA_CALLBACK_PATH = "/api/payments/platega/callback";

export function paymentsRoutes({ plans, payments, webhookIps, platega, log }: PaymentsRoutesDeps) {
  const r = new Hono<CallerEnv>();
  const allow = ipAllowList(webhookIps);
  const userOf = (c: { get(k: "caller"): CallerEnv["Variables"]["caller"] }) => {
    const caller = c.get("caller");
    if (caller?.kind !== "user") throw new AppError("session_required", 401);
    return caller.userId;
  };

  r.get("/api/payments/plans", (c) => c.json(plansView(plans.list(), langOf(c), payments.providers())));

  r.post("/api/payments/create", v("json", CreatePaymentInput), async (c) => {
    const userId = userOf(c);
    const body = c.req.valid("json");
    const made = await payments.create(userId, body.plan, body.provider);
    c.header("Cache-Control", "no-store");
    return c.json(
      CreatedPaymentSchema.parse({
        order_id: made.order.id,
        provider: made.order.provider,
        payment_id: made.paymentId,
        confirmation_url: made.confirmationUrl,
        status: made.order.status,
      }),
    );
  });

  r.get("/api/payments/orders/:id", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(orderView(payments.order(userOf(c), c.req.param("id"))));
  });

  r.post(WEBHOOK_PATH, async (c) => {
    const ip = c.get("clientIp") ?? "unknown";
    if (allow.size > 0 && !allow.allows(ip)) {
      log.warn("payment_notification_refused", "source address not in MM_YOOKASSA_WEBHOOK_IPS", { ip });
      throw new AppError("webhook_ip_forbidden", 403);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      log.warn("payment_notification_refused", "body is not JSON", { ip });
      throw new AppError("invalid_notification", 400);
    }
    try {
      await payments.yookassaNotification(body);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The API could not be asked, or our write failed (database busy): not settled, so let YooKassa retry.
      log.warn("payment_notification_deferred", (err as Error).message, {
        ip,
        transient: err instanceof ProviderError ? err.transient : true,
      });
      throw new AppError("payment_provider_unavailable", 503, {}, err);
    }
    return c.json(WebhookAckSchema.parse({ ok: true }));
  });

  r.post(PLATEGA_CALLBACK_PATH, async (c) => {
    const ip = c.get("clientIp") ?? "unknown";
    // Both compared whatever the first gives (no early exit), each in constant time.
    const merchantOk = tokensEqual(c.req.header("x-merchantid") ?? "", platega?.merchantId ?? "");
    const secretOk = tokensEqual(c.req.header("x-secret") ?? "", platega?.secret ?? "");
    if (!platega || !merchantOk || !secretOk) {
      log.warn("payment_callback_refused", platega ? "wrong X-MerchantId / X-Secret" : "platega is off", {
        ip,
        provider: "platega",
      });
      throw new AppError("platega_callback_forbidden", 401);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      log.warn("payment_callback_refused", "body is not JSON", { ip, provider: "platega" });
      throw new AppError("invalid_notification", 400);
    }
    try {
      await payments.plategaCallback(body);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // Not settled (the API unreachable, our write failed): a non-200 makes Platega retry.
      log.warn("payment_notification_deferred", (err as Error).message, { ip, provider: "platega" });
      throw new AppError("payment_provider_unavailable", 503, {}, err);
    }
    return c.json(WebhookAckSchema.parse({ ok: true }));
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const PAYMENT_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/payments/plans",
    summary: "Plans (token packs, tier periods) with prices, and the providers that take payments now",
    ok: { 200: "Plans" },
  },
  {
    method: "POST",
    path: "/api/payments/create",
    summary:
      "Create (or reuse the open) order of a plan and its provider payment: a double click gets the same payment; 503 when payments are off",
    access: "session",
    body: "json",
    input: CreatePaymentInput,
    ok: { 200: "CreatedPayment" },
  },
  {
    method: "GET",
    path: "/api/payments/orders/:id",
    summary: "The caller's order and its state (the return page polls it)",
    access: "session",
    ok: { 200: "Order" },
  },
  {
    method: "POST",
    path: "/api/payments/webhook",
    summary:
      "YooKassa notifications (source IP per MM_YOOKASSA_WEBHOOK_IPS); the object is re-fetched from the API, never believed",
    body: "json",
    ok: { 200: "WebhookAck" },
  },
  {
    method: "POST",
    path: "/api/payments/platega/callback",
    summary:
      "Platega callbacks (X-MerchantId + X-Secret compared in constant time, else 401); the transaction is re-fetched from the API, never believed",
    body: "json",
    ok: { 200: "WebhookAck" },
  },
];
