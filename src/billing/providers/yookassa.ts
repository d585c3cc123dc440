// YooKassa API v3 client (see payments-wire.md §1): Basic auth shopId:secretKey, JSON, and the
// Idempotence-Key on every POST. A 202 "processing" or a 500 ("outcome unknown") is repeated with the
// same key and body, as the docs and both official SDKs do; the key comes from our order row, never a
// fresh UUID per attempt, so a repeat can never create a second payment. Answers are parsed loosely:
// only the fields we act on are required.

import { z } from "zod";

const Amount = z.object({ value: z.string(), currency: z.string() });

export const YooPayment = z.looseObject({
  id: z.string().min(1),
  status: z.enum(["pending", "waiting_for_capture", "succeeded", "canceled"]),
  paid: z.boolean().optional(),
  amount: Amount,
  metadata: z.record(z.string(), z.string()).optional(),
  confirmation: z.looseObject({ confirmation_url: z.string().optional() }).optional(),
  cancellation_details: z.looseObject({ party: z.string(), reason: z.string() }).optional(),
});
export type YooPayment = z.infer<typeof YooPayment>;

export const YooRefund = z.looseObject({
  id: z.string().min(1),
  payment_id: z.string().min(1),
  status: z.enum(["pending", "succeeded", "canceled"]),
  amount: Amount,
  cancellation_details: z.looseObject({ party: z.string(), reason: z.string() }).optional(),
});
export type YooRefund = z.infer<typeof YooRefund>;

/** A call that failed. `transient`: the outcome is unknown or the provider is down (retry later). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    readonly code?: string,
    /** From a 202/500 body: how long to wait before the repeat (ms). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export type CreatePaymentBody = {
  amount: { value: string; currency: string };
  capture: true;
  confirmation: { type: "redirect"; return_url: string; locale?: string };
  description: string;
  metadata: Record<string, string>;
  receipt?: unknown;
};

/** POST /v3/refunds (payments-wire.md §1.5): the whole or a part of a succeeded payment. */
export type CreateRefundBody = {
  payment_id: string;
  amount: { value: string; currency: string };
  /** Shown to the buyer in YooKassa's receipt of the refund; at most 250 characters. */
  description?: string;
  /** A refund receipt (54-FZ) when the shop sends receipts through YooKassa. */
  receipt?: unknown;
};

export interface YooKassa {
  createPayment(body: CreatePaymentBody, idempotenceKey: string): Promise<YooPayment>;
  /** One refund; repeated with the same key (from our order and the refund's number) on 202/500. */
  createRefund(body: CreateRefundBody, idempotenceKey: string): Promise<YooRefund>;
  /** The payment as the API has it now; null when the API does not know it (404). */
  getPayment(id: string): Promise<YooPayment | null>;
  getRefund(id: string): Promise<YooRefund | null>;
  /** GET /v3/refunds?payment_id=: the payment's refunds as the API has them now (the first page). */
  listRefunds(paymentId: string): Promise<YooRefund[]>;
}

export type YooKassaOptions = {
  apiRoot: string;
  shopId: string;
  secretKey: string;
  /** Attempts of a POST answered 202/500 or cut off (default 3, as the SDKs). */
  attempts?: number;
  /** Upper bound of one wait between attempts, whatever retry_after says (default 3 s). */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

export function createYooKassa(o: YooKassaOptions): YooKassa {
  const root = o.apiRoot.replace(/\/+$/, "");
  const auth = `Basic ${Buffer.from(`${o.shopId}:${o.secretKey}`).toString("base64")}`;
  const attempts = o.attempts ?? 3;
  const sleep = o.sleep ?? Bun.sleep;
  const timeoutMs = o.timeoutMs ?? 15_000;

  async function call(method: "GET" | "POST", path: string, body?: unknown, key?: string) {
    const headers: Record<string, string> = { authorization: auth };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (key) headers["idempotence-key"] = key;
    try {
      const res = await fetch(`${root}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, json };
    } catch (err) {
      throw new ProviderError(`yookassa ${method} ${path}: ${(err as Error).message}`, true);
    }
  }

  const errorOf = (method: string, path: string, status: number, json: unknown) => {
    const e = (json ?? {}) as { code?: string; description?: string; retry_after?: unknown };
    const wait = Number(e.retry_after);
    return new ProviderError(
      `yookassa ${method} ${path}: ${status} ${e.code ?? ""} ${e.description ?? ""}`.trim(),
      status >= 500 || status === 429 || status === 202,
      status,
      e.code,
      Number.isFinite(wait) && wait >= 0 ? wait : undefined,
    );
  };

  async function fetchObject<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
    const { status, json } = await call("GET", path);
    if (status === 404) return null;
    if (status !== 200) throw errorOf("GET", path, status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ProviderError(`yookassa GET ${path}: unexpected answer`, true, status);
    return parsed.data;
  }

  /** A POST repeated with the same key and body while the answer is 202/500 or lost (see the header). */
  async function postRepeated<T>(path: string, body: unknown, key: string, schema: z.ZodType<T>): Promise<T> {
    let last: ProviderError | undefined;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(Math.min(o.maxWaitMs ?? 3000, last?.retryAfterMs ?? 1800));
      let r: { status: number; json: unknown };
      try {
        r = await call("POST", path, body, key);
      } catch (err) {
        last = err as ProviderError;
        continue;
      }
      if (r.status === 200) {
        const p = schema.safeParse(r.json);
        if (p.success) return p.data;
        throw new ProviderError(`yookassa POST ${path}: unexpected answer`, true, 200);
      }
      last = errorOf("POST", path, r.status, r.json);
      if (!last.transient) throw last;
    }
    throw last ?? new ProviderError(`yookassa POST ${path}: no attempt made`, true);
  }

  return {
    createPayment: (body, key) => postRepeated("/payments", body, key, YooPayment),
    createRefund: (body, key) => postRepeated("/refunds", body, key, YooRefund),
    getPayment: (id) => fetchObject(`/payments/${encodeURIComponent(id)}`, YooPayment),
    getRefund: (id) => fetchObject(`/refunds/${encodeURIComponent(id)}`, YooRefund),
    async listRefunds(paymentId) {
      const list = await fetchObject(
        `/refunds?payment_id=${encodeURIComponent(paymentId)}`,
        z.looseObject({ items: z.array(YooRefund) }),
      );
      return list?.items ?? [];
    },
  };
}
