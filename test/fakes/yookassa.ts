// A fake of the YooKassa API v3 as a real HTTP server (Bun.serve on 127.0.0.1:0), speaking its wire
// format (payments-wire.md §1 and §4.1): Basic auth shopId:secretKey, JSON only (415 otherwise), the
// Idempotence-Key store (same key + same body → the stored answer replayed, nothing created; same key +
// another body → 400), 202 "processing" and 500-after-create injection, the payment state machine, and
// notifications POSTed to a webhook URL with retries, duplicates, concurrency, reordering and forgeries.
// Control routes under /__control/* (and the same methods on the object) drive it. Test-only.

import { createHash, randomUUID } from "node:crypto";
import { ProviderFake } from "./provider-fake";
import {
  type Amount,
  err,
  type FakePayment,
  type FakeRefund,
  type Json,
  minor,
  money,
  paymentProblem,
  refundProblem,
} from "./yookassa-wire";

export type { FakePayment, FakeRefund, Json } from "./yookassa-wire";

export type Delivery = {
  event: string;
  objectId: string;
  forged: boolean;
  attempts: number[];
  done: boolean;
};

export type FakeYooKassaOptions = {
  shopId?: string;
  secretKey?: string;
  webhookUrl?: string;
  receiptsRequired?: boolean;
  /** Delays between delivery attempts, ms (the last one repeats). */
  retryMs?: number[];
  maxAttempts?: number;
  /** Sent as X-Forwarded-For with every notification (to test a proxy in front of the app). */
  forwardedFor?: string;
  /** Base of confirmation_url (default this server; its /checkout/{id} pays and redirects). */
  checkoutBase?: string;
};

export class FakeYooKassa extends ProviderFake {
  readonly shopId: string;
  readonly secretKey: string;
  webhookUrl: string;
  receiptsRequired: boolean;
  retryMs: number[];
  maxAttempts: number;
  forwardedFor?: string;
  private checkoutBase?: string;
  readonly payments = new Map<string, FakePayment>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly deliveries: Delivery[] = [];
  /** Every API request: method, path, status answered, Idempotence-Key. */
  readonly requests: { method: string; path: string; status: number; key?: string }[] = [];
  /** Fault switches (each a count of requests it still applies to). */
  faults = { processing: 0, processingRetryAfterMs: 20, failAfterCreate: 0, down: 0 };
  /** Notification switches applied to the next status change. */
  notify = { duplicate: 1, concurrent: false, reorder: false, hold: false };
  private idem = new Map<string, { hash: string; status: number; body: string }>();

  constructor(o: FakeYooKassaOptions = {}) {
    super("fake yookassa: deliveries");
    this.shopId = o.shopId ?? "123456";
    this.secretKey = o.secretKey ?? "test_secret_key_0123456789";
    this.webhookUrl = o.webhookUrl ?? "";
    this.receiptsRequired = o.receiptsRequired ?? false;
    this.retryMs = o.retryMs ?? [20, 50, 100, 200, 400];
    this.maxAttempts = o.maxAttempts ?? 30;
    this.forwardedFor = o.forwardedFor;
    this.checkoutBase = o.checkoutBase;
  }

  /** The service's env pointing it at this fake: credentials, API root, loopback as the notifier. */
  serviceEnv(): Record<string, string> {
    return {
      MM_YOOKASSA_SHOP_ID: this.shopId,
      MM_YOOKASSA_SECRET_KEY: this.secretKey,
      MM_YOOKASSA_API_ROOT: this.apiRoot,
      MM_YOOKASSA_WEBHOOK_IPS: "127.0.0.1/32,::1",
    };
  }

  get apiRoot(): string {
    return `${this.url}/v3`;
  }
  /** Payments created through POST /v3/payments (replays create none). */
  get created(): number {
    return this.payments.size;
  }

  // ---- state changes (also reachable as /__control routes) ----

  pay(id: string): FakePayment {
    const p = this.must(id);
    if (p.status !== "pending") throw new Error(`fake yookassa: payment ${id} is ${p.status}`);
    if (p.capture) {
      Object.assign(p, { status: "succeeded", paid: true, captured_at: new Date().toISOString() });
      this.emit("payment.succeeded", p);
    } else {
      Object.assign(p, { status: "waiting_for_capture", paid: true });
      this.emit("payment.waiting_for_capture", p);
    }
    return p;
  }

  cancel(id: string, party = "yoo_money", reason = "expired_on_confirmation"): FakePayment {
    const p = this.must(id);
    Object.assign(p, { status: "canceled", paid: false, cancellation_details: { party, reason } });
    this.emit("payment.canceled", p);
    return p;
  }

  refund(paymentId: string, value?: string, description?: string): FakeRefund {
    const p = this.must(paymentId);
    if (p.status !== "succeeded") throw new Error(`fake yookassa: payment ${paymentId} is ${p.status}`);
    const amount = { value: value ?? p.amount.value, currency: p.amount.currency };
    if (p.refunded + minor(amount.value) > minor(p.amount.value))
      throw new Error("fake yookassa: refund exceeds amount");
    p.refunded += minor(amount.value);
    const r: FakeRefund = {
      id: randomUUID(),
      payment_id: p.id,
      status: "succeeded",
      amount,
      created_at: new Date().toISOString(),
      ...(description ? { description } : {}),
    };
    this.refunds.set(r.id, r);
    this.emit("refund.succeeded", r);
    return r;
  }

  /** Posts a payment.succeeded whose body says succeeded while the stored payment stays as it is. */
  forge(id: string, patch: Partial<FakePayment> = {}): void {
    const p = this.payments.get(id);
    const body = { ...(p ? this.view(p) : { id, metadata: {} }), status: "succeeded", paid: true, ...patch };
    this.deliver("payment.succeeded", body, true);
  }

  /** Releases notifications held by `notify.hold` (in reverse order when `notify.reorder`). */
  release(): void {
    this.releaseHeld(this.notify.reorder);
  }

  // ---- notifications ----

  private emit(event: string, object: FakePayment | FakeRefund): void {
    const snapshot = "capture" in object ? this.view(object) : { ...object };
    const send = () => {
      for (let i = 0; i < this.notify.duplicate; i++) this.deliver(event, snapshot, false);
    };
    this.sendOrHold(send, this.notify.hold || this.notify.reorder);
  }

  /** Queues one notification; attempts follow retryMs until a 200 or maxAttempts. */
  deliver(event: string, object: Json, forged: boolean): Delivery {
    const d: Delivery = { event, objectId: String(object.id), forged, attempts: [], done: false };
    this.deliveries.push(d);
    const body = JSON.stringify({ type: "notification", event, object });
    this.outbox.send(d, {
      maxAttempts: () => this.maxAttempts,
      retryMs: () => this.retryMs,
      post: () => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (this.forwardedFor) headers["x-forwarded-for"] = this.forwardedFor;
        return fetch(this.webhookUrl, { method: "POST", headers, body, signal: AbortSignal.timeout(15_000) });
      },
    });
    return d;
  }

  // ---- HTTP ----

  private view(p: FakePayment): Json {
    const { capture: _c, refunded, receipt: _r, ...rest } = p;
    return {
      ...rest,
      recipient: { account_id: this.shopId, gateway_id: "100500" },
      refundable: p.status === "succeeded" && refunded < minor(p.amount.value),
      refunded_amount: { value: money(refunded), currency: p.amount.currency },
      ...(p.status === "succeeded"
        ? {
            income_amount: {
              value: money(Math.round(minor(p.amount.value) * 0.965)),
              currency: p.amount.currency,
            },
          }
        : {}),
      test: true,
    };
  }

  private must(id: string): FakePayment {
    const p = this.payments.get(id);
    if (!p) throw new Error(`fake yookassa: no payment ${id}`);
    return p;
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path.startsWith("/__control/")) return this.control(req, path);
    const checkout = /^\/checkout\/([^/]+)$/.exec(path);
    if (checkout && req.method === "GET") {
      const p = this.payments.get(checkout[1] ?? "");
      if (!p) return new Response("no such payment", { status: 404 });
      if (url.searchParams.get("result") === "cancel") this.cancel(p.id);
      else if (p.status === "pending") this.pay(p.id);
      return Response.redirect(p.confirmation.return_url, 302);
    }
    const res = await this.api(req, path);
    this.requests.push({
      method: req.method,
      path,
      status: res.status,
      key: req.headers.get("idempotence-key") ?? undefined,
    });
    return res;
  }

  private async api(req: Request, path: string): Promise<Response> {
    if (!path.startsWith("/v3/")) return err(404, "not_found", "Unknown path");
    const expected = `Basic ${Buffer.from(`${this.shopId}:${this.secretKey}`).toString("base64")}`;
    if (req.headers.get("authorization") !== expected)
      return err(401, "invalid_credentials", "Login or password is incorrect");
    if (this.faults.down > 0) {
      this.faults.down--;
      return err(500, "internal_server_error", "Internal server error");
    }
    const route = path.slice(3);
    const one = /^\/(payments|refunds)\/([^/]+)$/.exec(route);
    if (req.method === "GET") {
      if (route === "/me") return Response.json({ account_id: this.shopId, test: true, status: "enabled" });
      if (route === "/payments")
        return Response.json({ type: "list", items: [...this.payments.values()].map((p) => this.view(p)) });
      if (route === "/refunds") {
        const pid = new URL(req.url).searchParams.get("payment_id");
        const items = [...this.refunds.values()].filter((r) => !pid || r.payment_id === pid);
        return Response.json({ type: "list", items });
      }
      if (one?.[1] === "payments") {
        const p = this.payments.get(one[2] ?? "");
        return p ? Response.json(this.view(p)) : err(404, "not_found", "Payment not found");
      }
      if (one?.[1] === "refunds") {
        const r = this.refunds.get(one[2] ?? "");
        return r ? Response.json(r) : err(404, "not_found", "Refund not found");
      }
      return err(404, "not_found", "Unknown path");
    }
    if (req.method !== "POST") return new Response(null, { status: 405 });
    if (!/^application\/json/i.test(req.headers.get("content-type") ?? ""))
      return new Response(null, { status: 415 });
    const key = req.headers.get("idempotence-key");
    if (!key) return err(400, "invalid_request", "Idempotence-Key is required", "Idempotence-Key");
    if (key.length > 64) return err(400, "invalid_request", "Idempotence-Key is too long", "Idempotence-Key");
    const text = await req.text();
    const hash = createHash("sha256").update(text).digest("hex");
    const slot = `${key} POST ${route}`;
    const stored = this.idem.get(slot);
    if (stored && stored.hash !== hash)
      return err(400, "invalid_request", "Idempotence key duplicated", "Idempotence-Key");
    const create =
      route === "/payments"
        ? (b: Json) => this.createPayment(b)
        : route === "/refunds"
          ? (b: Json) => this.createRefund(b)
          : undefined;
    if (!create) return err(404, "not_found", "Unknown path");
    if (!stored && this.faults.processing > 0) {
      this.faults.processing--;
      return Response.json(
        {
          type: "processing",
          description: "Request accepted for processing",
          retry_after: this.faults.processingRetryAfterMs,
        },
        { status: 202 },
      );
    }
    if (!stored) {
      let body: Json;
      try {
        body = JSON.parse(text) as Json;
      } catch {
        return err(400, "invalid_request", "Body is not JSON");
      }
      const made = create(body);
      if (made instanceof Response) return made;
      const view = "capture" in made ? this.view(made) : made;
      this.idem.set(slot, { hash, status: 200, body: JSON.stringify(view) });
    }
    if (this.faults.failAfterCreate > 0) {
      this.faults.failAfterCreate--;
      return err(500, "internal_server_error", "Internal server error");
    }
    const s = this.idem.get(slot);
    return new Response(s?.body, {
      status: s?.status ?? 500,
      headers: { "content-type": "application/json" },
    });
  }

  /** POST /v3/refunds, once refundProblem passes it. */
  private createRefund(b: Json): FakeRefund | Response {
    const p = typeof b.payment_id === "string" ? this.payments.get(b.payment_id) : undefined;
    const bad = refundProblem(b, p, this.receiptsRequired);
    if (bad || !p) return bad ?? err(404, "not_found", "Payment not found", "payment_id");
    const amount = b.amount as Amount;
    return this.refund(p.id, amount.value, typeof b.description === "string" ? b.description : undefined);
  }

  /** POST /v3/payments, once paymentProblem passes it. */
  private createPayment(b: Json): FakePayment | Response {
    const bad = paymentProblem(b, this.receiptsRequired);
    if (bad) return bad;
    const amount = b.amount as Amount;
    const conf = b.confirmation as { return_url: string };
    const id = `${randomUUID().slice(0, 8)}-000f-5000-8000-${randomUUID().slice(-12)}`;
    const p: FakePayment = {
      id,
      status: "pending",
      paid: false,
      amount: { value: amount.value, currency: amount.currency },
      capture: b.capture === true,
      description: b.description as string | undefined,
      metadata: (b.metadata ?? {}) as Record<string, string>,
      confirmation: {
        type: "redirect",
        return_url: conf.return_url,
        confirmation_url: `${this.checkoutBase ?? this.url}/checkout/${id}`,
      },
      receipt: b.receipt,
      refunded: 0,
      created_at: new Date().toISOString(),
    };
    this.payments.set(id, p);
    return p;
  }

  private async control(req: Request, path: string): Promise<Response> {
    const m = /^\/__control\/payments\/([^/]+)\/(pay|cancel|refund)$/.exec(path);
    try {
      if (m && req.method === "POST") {
        const id = m[1] ?? "";
        if (m[2] === "pay") return Response.json(this.view(this.pay(id)));
        if (m[2] === "cancel") return Response.json(this.view(this.cancel(id)));
        return Response.json(this.refund(id));
      }
      if (path === "/__control/notifications" && req.method === "GET") return Response.json(this.deliveries);
      if (path === "/__control/notifications/flush" && req.method === "POST") {
        this.release();
        await this.settled();
        return Response.json({ ok: true });
      }
    } catch (e) {
      return Response.json({ error: (e as Error).message }, { status: 409 });
    }
    return new Response("unknown control route", { status: 404 });
  }
}
