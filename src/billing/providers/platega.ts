// Platega API client (see payments-wire.md §2): X-MerchantId + X-Secret on every call, JSON. Platega has
// no idempotency key, so a create is sent exactly once and never repeated here: an answer that does not
// come (timeout, 5xx) leaves its outcome unknown, and repeating it could make a second transaction. The
// caller's order row is the guard. Reads (GET /transaction/{id}) are safe to repeat; callers do so
// (the callback's retries, the reconcile task). Answers are parsed loosely: only the fields we act on.

import { z } from "zod";
import { ProviderError } from "./yookassa";

export const PLATEGA_STATUSES = ["PENDING", "CONFIRMED", "CANCELED", "CHARGEBACKED"] as const;

/** GET /transaction/{id}. Unknown statuses (EXPIRED, FAILED in older docs) are kept and treated as non-success. */
export const PlategaTransaction = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  paymentDetails: z.looseObject({ amount: z.number(), currency: z.string() }).optional(),
  payload: z.string().optional().nullable(),
});
export type PlategaTransaction = z.infer<typeof PlategaTransaction>;

/** The v2 create answer: the payer picks the method on Platega's page at `url`. */
const Created = z.looseObject({
  transactionId: z.string().min(1),
  status: z.string(),
  url: z.string().min(1),
});
export type PlategaCreated = z.infer<typeof Created>;

const CancelAnswer = z.looseObject({
  transactionId: z.string().optional(),
  accepted: z.boolean(),
  manualControlRequired: z.boolean().optional(),
  message: z.string().optional().nullable(),
});
export type PlategaCancel = z.infer<typeof CancelAnswer>;

export type CreateTransactionBody = {
  /** In whole rubles (a number, not minor units, not a string). */
  paymentDetails: { amount: number; currency: string };
  description: string;
  return: string;
  failedUrl: string;
  /** Our order id: it comes back in the callback and in GET /transaction/{id}. */
  payload: string;
  metadata?: { userId?: string; userName?: string };
};

export interface Platega {
  /** One POST /v2/transaction/process, never repeated (no idempotency on Platega's side). */
  createTransaction(body: CreateTransactionBody): Promise<PlategaCreated>;
  /** The transaction as the API has it now; null when the API does not know it (404). */
  getTransaction(id: string): Promise<PlategaTransaction | null>;
  /** POST /transaction/{id}/cancel (a refund); `accepted:false` + manualControlRequired is a normal answer. */
  cancelTransaction(id: string): Promise<PlategaCancel>;
}

export type PlategaOptions = {
  apiRoot: string;
  merchantId: string;
  secret: string;
  timeoutMs?: number;
};

export function createPlatega(o: PlategaOptions): Platega {
  const root = o.apiRoot.replace(/\/+$/, "");
  const timeoutMs = o.timeoutMs ?? 15_000;

  async function call<T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown) {
    const headers: Record<string, string> = { "x-merchantid": o.merchantId, "x-secret": o.secret };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${root}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new ProviderError(`platega ${method} ${path}: ${(err as Error).message}`, true);
    }
    if (res.status === 404 && method === "GET") return null;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status !== 200) {
      const msg = (json as { message?: unknown } | undefined)?.message;
      throw new ProviderError(
        `platega ${method} ${path}: ${res.status}${typeof msg === "string" ? ` ${msg}` : ""}`,
        res.status >= 500 || res.status === 429,
        res.status,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ProviderError(`platega ${method} ${path}: unexpected answer`, true, 200);
    return parsed.data;
  }

  const id = (s: string) => encodeURIComponent(s);
  return {
    async createTransaction(body) {
      const made = await call("POST", "/v2/transaction/process", Created, body);
      if (!made) throw new ProviderError("platega POST /v2/transaction/process: no answer", true);
      return made;
    },
    getTransaction: (t) => call("GET", `/transaction/${id(t)}`, PlategaTransaction),
    async cancelTransaction(t) {
      const r = await call("POST", `/transaction/${id(t)}/cancel`, CancelAnswer, {});
      if (!r) throw new ProviderError(`platega cancel ${t}: no answer`, true);
      return r;
    },
  };
}
