// The YooKassa v3 wire as the fake (yookassa.ts) speaks it: the objects it answers with, its error bodies
// and money strings, and the checks of a create-payment or create-refund request (payments-wire.md §1),
// pure: the fake applies what passes.

import { randomUUID } from "node:crypto";

export type Json = Record<string, unknown>;
export type Amount = { value: string; currency: string };

export type FakePayment = {
  id: string;
  status: "pending" | "waiting_for_capture" | "succeeded" | "canceled";
  paid: boolean;
  amount: Amount;
  capture: boolean;
  description?: string;
  metadata: Record<string, string>;
  confirmation: { type: "redirect"; return_url: string; confirmation_url: string };
  receipt?: unknown;
  refunded: number;
  created_at: string;
  captured_at?: string;
  cancellation_details?: { party: string; reason: string };
};
export type FakeRefund = {
  id: string;
  payment_id: string;
  status: "succeeded";
  amount: Amount;
  created_at: string;
  description?: string;
};

const CURRENCIES = new Set([
  "RUB",
  "EUR",
  "USD",
  "KZT",
  "BYN",
  "UAH",
  "UZS",
  "TRY",
  "INR",
  "MDL",
  "AZN",
  "AMD",
]);
export const err = (status: number, code: string, description: string, parameter?: string) =>
  Response.json(
    { type: "error", id: randomUUID(), code, description, ...(parameter ? { parameter } : {}) },
    { status },
  );
export const minor = (v: string) => Math.round(Number(v) * 100);
export const money = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, "0")}`;

/** Why a POST /v3/payments body is refused (undefined: it is valid). */
export function paymentProblem(b: Json, receiptsRequired: boolean): Response | undefined {
  const amount = b.amount as Partial<Amount> | undefined;
  if (typeof amount?.value !== "string" || !/^\d+\.\d{2}$/.test(amount.value) || minor(amount.value) <= 0)
    return err(400, "invalid_request", "Invalid amount value", "amount.value");
  if (typeof amount.currency !== "string" || !CURRENCIES.has(amount.currency))
    return err(400, "invalid_request", "Invalid currency", "amount.currency");
  if (b.description !== undefined && (typeof b.description !== "string" || b.description.length > 128))
    return err(400, "invalid_request", "Description is too long", "description");
  const entries = Object.entries((b.metadata ?? {}) as Record<string, unknown>);
  if (
    entries.length > 16 ||
    entries.some(([k, v]) => k.length > 32 || typeof v !== "string" || v.length > 512)
  )
    return err(400, "invalid_request", "Invalid metadata", "metadata");
  const conf = b.confirmation as { type?: string; return_url?: string } | undefined;
  if (conf?.type !== "redirect" || typeof conf.return_url !== "string" || conf.return_url.length > 2048)
    return err(400, "invalid_request", "Invalid confirmation", "confirmation");
  const bad = receiptsRequired ? receiptProblem(b.receipt, minor(amount.value)) : undefined;
  return bad ? err(400, "invalid_request", bad, "receipt") : undefined;
}

/** Why a POST /v3/refunds body is refused: a succeeded payment only, in its currency, never more than is still paid. */
export function refundProblem(
  b: Json,
  p: FakePayment | undefined,
  receiptsRequired: boolean,
): Response | undefined {
  if (typeof b.payment_id !== "string" || !b.payment_id)
    return err(400, "invalid_request", "payment_id is required", "payment_id");
  if (!p) return err(404, "not_found", "Payment not found", "payment_id");
  const amount = b.amount as Partial<Amount> | undefined;
  if (typeof amount?.value !== "string" || !/^\d+\.\d{2}$/.test(amount.value) || minor(amount.value) <= 0)
    return err(400, "invalid_request", "Invalid amount value", "amount.value");
  if (amount.currency !== p.amount.currency)
    return err(400, "invalid_request", "Refund currency differs from the payment's", "amount.currency");
  if (b.description !== undefined && (typeof b.description !== "string" || b.description.length > 250))
    return err(400, "invalid_request", "Description is too long", "description");
  if (p.status !== "succeeded")
    return err(400, "invalid_request", "Payment is not succeeded and cannot be refunded", "payment_id");
  if (p.refunded + minor(amount.value) > minor(p.amount.value))
    return err(
      400,
      "invalid_request",
      "Refund amount exceeds the payment's remaining amount",
      "amount.value",
    );
  const bad = receiptsRequired ? receiptProblem(b.receipt, minor(amount.value)) : undefined;
  return bad ? err(400, "invalid_request", bad, "receipt") : undefined;
}

function receiptProblem(receipt: unknown, total: number): string | undefined {
  const r = receipt as { customer?: { email?: string; phone?: string }; items?: Json[] } | undefined;
  if (!r?.customer?.email && !r?.customer?.phone) return "Receipt customer contact is missing";
  const items = r.items ?? [];
  if (items.length < 1 || items.length > 80) return "Receipt needs 1..80 items";
  let sum = 0;
  for (const it of items) {
    const d = it.description;
    if (typeof d !== "string" || d.length < 1 || d.length > 128) return "Receipt item description 1..128";
    if (!Number.isInteger(it.vat_code)) return "Receipt item vat_code must be an integer";
    const a = it.amount as Amount | undefined;
    sum += minor(a?.value ?? "0") * Number(it.quantity);
  }
  return Math.round(sum) === total ? undefined : "Receipt items do not add up to the amount";
}
