// A fake of the Platega merchant API as a real HTTP server (Bun.serve on 127.0.0.1:0), speaking its wire
// format (payments-wire.md §2 and §4.2): X-MerchantId + X-Secret on every call (401 otherwise), 400 on
// validation, 404 for an unknown transaction, no idempotency (every create makes a new transaction, as
// the real API), v1 `redirect` / v2 `url` create answers, the GET answer with the API's typo fields
// (`mechantId`, `comission`), expiry after `expiresIn` of a fake clock, refunds through cancel, and
// callbacks POSTed with the merchant's headers: retried up to 3 times, duplicated, concurrent, or sent
// with a forged secret. Control routes under /__control/* (and the same methods on the object). Test-only.

import { randomUUID } from "node:crypto";
import { ProviderFake } from "./provider-fake";

export type Json = Record<string, unknown>;
export type PlategaStatus = "PENDING" | "CONFIRMED" | "CANCELED" | "CHARGEBACKED";

export type FakeTransaction = {
  id: string;
  status: PlategaStatus;
  amount: number;
  currency: string;
  description: string;
  paymentMethod: number | null;
  payload?: string;
  return: string;
  failedUrl: string;
  metadata?: Json;
  createdAt: number;
};

export type CallbackDelivery = {
  transactionId: string;
  status: string;
  forged: boolean;
  attempts: number[];
  done: boolean;
};

export type FakePlategaOptions = {
  merchantId?: string;
  secret?: string;
  callbackUrl?: string;
  /** Delays between callback attempts, ms (Platega: 5 minutes; tests use short ones). */
  retryMs?: number[];
  /** Retries after the first attempt (Platega: 3). */
  retries?: number;
  /** One attempt's timeout, ms (Platega: 60 s). */
  attemptTimeoutMs?: number;
  /** Base of the payment page link (default this server; its /pay/{id} pays and redirects). */
  payBase?: string;
};

const METHODS = new Set([2, 3, 11, 12, 13, 14]);
const EXPIRES_MS = 15 * 60_000;
const bad = (status: number, message: string) => Response.json({ message }, { status });
const PAY_METHOD_NAME: Record<number, string> = { 2: "SBPQR", 3: "ERIP", 11: "CARDS", 12: "INTERNATIONAL" };

export class FakePlatega extends ProviderFake {
  readonly merchantId: string;
  readonly secret: string;
  callbackUrl: string;
  retryMs: number[];
  retries: number;
  attemptTimeoutMs: number;
  private payBase?: string;
  readonly transactions = new Map<string, FakeTransaction>();
  readonly deliveries: CallbackDelivery[] = [];
  /** Every API request: method, path, status answered. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  /** Fault switches (each a count of API requests it still applies to). */
  faults = { down: 0, failAfterCreate: 0 };
  /** Callback switches applied to the next status change (`duplicate` copies are sent at the same time). */
  notify = { duplicate: 1, wrongSecret: false, hold: false };
  /** Refunds answer accepted:false + manualControlRequired:true (Platega's manual path). */
  manualRefunds = false;
  /** The fake clock's offset from the real one (advance() moves it). */
  private clockMs = 0;

  constructor(o: FakePlategaOptions = {}) {
    super("fake platega: callbacks");
    this.merchantId = o.merchantId ?? "1a021d91-9b26-4762-b303-5d4aac74e921";
    this.secret = o.secret ?? "platega-test-secret-0123456789";
    this.callbackUrl = o.callbackUrl ?? "";
    this.retryMs = o.retryMs ?? [20, 50, 100];
    this.retries = o.retries ?? 3;
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? 15_000;
    this.payBase = o.payBase;
  }

  /** The service's env pointing it at this fake: merchant id, secret, API root. */
  serviceEnv(): Record<string, string> {
    return {
      MM_PLATEGA_MERCHANT_ID: this.merchantId,
      MM_PLATEGA_SECRET: this.secret,
      MM_PLATEGA_API_ROOT: this.url,
    };
  }
  /** Transactions made through the create routes. */
  get created(): number {
    return this.transactions.size;
  }
  now(): number {
    return Date.now() + this.clockMs;
  }

  /** Transactions whose payload names `orderId`. */
  of(orderId: string): FakeTransaction[] {
    return [...this.transactions.values()].filter((t) => t.payload === orderId);
  }

  // ---- state changes (also reachable as /__control routes) ----

  confirm(id: string): FakeTransaction {
    const t = this.must(id);
    if (t.status !== "PENDING") throw new Error(`fake platega: transaction ${id} is ${t.status}`);
    t.status = "CONFIRMED";
    this.emit(t);
    return t;
  }

  cancel(id: string): FakeTransaction {
    const t = this.must(id);
    if (t.status !== "PENDING") throw new Error(`fake platega: transaction ${id} is ${t.status}`);
    t.status = "CANCELED";
    this.emit(t);
    return t;
  }

  chargeback(id: string): FakeTransaction {
    const t = this.must(id);
    if (t.status !== "CONFIRMED") throw new Error(`fake platega: transaction ${id} is ${t.status}`);
    t.status = "CHARGEBACKED";
    this.emit(t);
    return t;
  }

  /** Moves the fake clock; pending transactions past expiresIn become CANCELED (with a callback). */
  advance(ms: number): void {
    this.clockMs += ms;
    for (const t of this.transactions.values())
      if (t.status === "PENDING" && this.now() - t.createdAt >= EXPIRES_MS) this.cancel(t.id);
  }

  /** Releases callbacks held by `notify.hold`. */
  release(): void {
    this.releaseHeld();
  }

  // ---- callbacks ----

  private emit(t: FakeTransaction): void {
    const body = this.callbackOf(t);
    const forged = this.notify.wrongSecret;
    const send = () => {
      for (let i = 0; i < this.notify.duplicate; i++) this.deliver(body, forged);
    };
    this.sendOrHold(send, this.notify.hold);
  }

  callbackOf(t: FakeTransaction): Json {
    return {
      id: t.id,
      amount: t.amount,
      currency: t.currency,
      status: t.status,
      paymentMethod: t.paymentMethod ?? 2,
      ...(t.payload !== undefined ? { payload: t.payload } : {}),
    };
  }

  /**
   * Queues one callback with the merchant's headers (`forged`: a wrong X-Secret); 200 = done, else up to
   * `retries` more attempts, `retryMs` apart.
   */
  deliver(body: Json, forged = false, headers: Record<string, string> = {}): CallbackDelivery {
    const d: CallbackDelivery = {
      transactionId: String(body.id),
      status: String(body.status),
      forged,
      attempts: [],
      done: false,
    };
    this.deliveries.push(d);
    const text = JSON.stringify(body);
    this.outbox.send(d, {
      maxAttempts: () => this.retries + 1,
      retryMs: () => this.retryMs,
      post: () =>
        fetch(this.callbackUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-merchantid": this.merchantId,
            "x-secret": forged ? `${this.secret}-forged` : this.secret,
            ...headers,
          },
          body: text,
          signal: AbortSignal.timeout(this.attemptTimeoutMs),
        }),
    });
    return d;
  }

  // ---- HTTP ----

  private view(t: FakeTransaction): Json {
    return {
      id: t.id,
      status: t.status,
      paymentDetails: { amount: t.amount, currency: t.currency },
      merchantName: "Magic Master test shop",
      mechantId: this.merchantId,
      comission: Math.round(t.amount * 3.5) / 100,
      paymentMethod: t.paymentMethod === null ? "" : (PAY_METHOD_NAME[t.paymentMethod] ?? "OTHER"),
      expiresIn: "00:15:00",
      return: t.return,
      payformSuccessUrl: t.return,
      qr: `${this.payBase ?? this.url}/pay/${t.id}`,
      ...(t.payload !== undefined ? { payload: t.payload } : {}),
      externalId: t.id.slice(0, 8),
      description: t.description,
    };
  }

  private must(id: string): FakeTransaction {
    const t = this.transactions.get(id);
    if (!t) throw new Error(`fake platega: no transaction ${id}`);
    return t;
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path.startsWith("/__control/")) return this.control(req, path);
    const pay = /^\/pay\/([^/]+)$/.exec(path);
    if (pay && req.method === "GET") {
      const t = this.transactions.get(pay[1] ?? "");
      if (!t) return new Response("no such transaction", { status: 404 });
      const fail = url.searchParams.get("result") === "fail";
      if (t.status === "PENDING") fail ? this.cancel(t.id) : this.confirm(t.id);
      return Response.redirect(t.status === "CONFIRMED" ? t.return : t.failedUrl, 302);
    }
    const res = await this.api(req, path);
    this.requests.push({ method: req.method, path, status: res.status });
    return res;
  }

  private async api(req: Request, path: string): Promise<Response> {
    if (req.headers.get("x-merchantid") !== this.merchantId || req.headers.get("x-secret") !== this.secret)
      return bad(401, "Unauthorized");
    if (this.faults.down > 0) {
      this.faults.down--;
      return bad(500, "Internal server error");
    }
    const one = /^\/transaction\/([^/]+)(\/cancel-supported|\/cancel)?$/.exec(path);
    if (req.method === "GET" && one && !one[2]) {
      const t = this.transactions.get(one[1] ?? "");
      return t ? Response.json(this.view(t)) : bad(404, "Transaction not found");
    }
    if (req.method === "GET" && one?.[2] === "/cancel-supported") {
      const t = this.transactions.get(one[1] ?? "");
      if (!t) return bad(404, "Transaction not found");
      return Response.json({
        supported: t.status === "CONFIRMED",
        totalDeductUsdt: Math.round(t.amount / 0.9) / 100,
        penaltyUsdt: 0,
      });
    }
    if (req.method !== "POST") return new Response(null, { status: 405 });
    if (one?.[2] === "/cancel") {
      const t = this.transactions.get(one[1] ?? "");
      if (!t) return bad(404, "Transaction not found");
      if (t.status !== "CONFIRMED") return bad(400, `Transaction is ${t.status}`);
      if (this.manualRefunds)
        return Response.json({
          transactionId: t.id,
          accepted: false,
          manualControlRequired: true,
          message: "Manual control required",
        });
      this.chargeback(t.id);
      return Response.json({
        transactionId: t.id,
        accepted: true,
        manualControlRequired: false,
        message: "",
      });
    }
    const v2 = path === "/v2/transaction/process";
    if (!v2 && path !== "/transaction/process") return bad(404, "Not found");
    if (!/^application\/json/i.test(req.headers.get("content-type") ?? "")) return bad(415, "JSON only");
    let b: Json;
    try {
      b = (await req.json()) as Json;
    } catch {
      return bad(400, "Body is not JSON");
    }
    const made = this.create(b, v2);
    if (made instanceof Response) return made;
    if (this.faults.failAfterCreate > 0) {
      this.faults.failAfterCreate--;
      return bad(500, "Internal server error");
    }
    const link = `${this.payBase ?? this.url}/pay/${made.id}`;
    return v2
      ? Response.json({
          transactionId: made.id,
          status: "PENDING",
          url: link,
          expiresIn: "00:15:00",
          rate: 1,
        })
      : Response.json({
          transactionId: made.id,
          status: "PENDING",
          redirect: link,
          return: made.return,
          paymentMethod: PAY_METHOD_NAME[made.paymentMethod ?? 2] ?? "OTHER",
          paymentDetails: `${made.amount} ${made.currency}`,
          expiresIn: "00:15:00",
          merchantId: this.merchantId,
        });
  }

  private create(b: Json, v2: boolean): FakeTransaction | Response {
    if ("id" in b) return bad(400, "id must not be sent: the server generates it");
    const details = b.paymentDetails as { amount?: unknown; currency?: unknown } | undefined;
    if (typeof details?.amount !== "number" || !(details.amount > 0))
      return bad(400, "paymentDetails.amount must be a number > 0 (rubles)");
    if (typeof details.currency !== "string" || details.currency === "")
      return bad(400, "paymentDetails.currency is required");
    if (typeof b.description !== "string" || b.description === "") return bad(400, "description is required");
    if (typeof b.return !== "string" || typeof b.failedUrl !== "string")
      return bad(400, "return and failedUrl are required");
    const method = b.paymentMethod;
    if (!v2 && (typeof method !== "number" || !METHODS.has(method)))
      return bad(400, "paymentMethod must be one of 2, 3, 11, 12, 13, 14");
    if (b.payload !== undefined && typeof b.payload !== "string") return bad(400, "payload must be a string");
    const t: FakeTransaction = {
      id: randomUUID(),
      status: "PENDING",
      amount: details.amount,
      currency: details.currency,
      description: b.description,
      paymentMethod: typeof method === "number" ? method : null,
      payload: b.payload as string | undefined,
      return: b.return,
      failedUrl: b.failedUrl,
      metadata: b.metadata as Json | undefined,
      createdAt: this.now(),
    };
    this.transactions.set(t.id, t);
    return t;
  }

  private async control(req: Request, path: string): Promise<Response> {
    const m = /^\/__control\/transactions\/([^/]+)\/(confirm|cancel|chargeback)$/.exec(path);
    try {
      if (m && req.method === "POST") {
        const id = m[1] ?? "";
        if (m[2] === "confirm") return Response.json(this.view(this.confirm(id)));
        if (m[2] === "cancel") return Response.json(this.view(this.cancel(id)));
        return Response.json(this.view(this.chargeback(id)));
      }
      if (path === "/__control/clock/advance" && req.method === "POST") {
        const { ms } = (await req.json()) as { ms: number };
        this.advance(ms);
        return Response.json({ ok: true });
      }
      if (path === "/__control/callbacks" && req.method === "GET") return Response.json(this.deliveries);
      if (path === "/__control/callbacks/flush" && req.method === "POST") {
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
