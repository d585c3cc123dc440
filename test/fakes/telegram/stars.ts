// The payments part of the fake Bot API (payments-wire.md §4.3): sendInvoice with the Stars rules
// (XTR, exactly one price, whole amount, no provider token, title/description/payload limits),
// answerPreCheckoutQuery (one answer, error_message required on refusal, within 10 s), refundStarPayment
// (a second refund of a charge → 400 CHARGE_ALREADY_REFUNDED). The driver `pay` plays the buyer:
// pre_checkout_query, wait for the answer, then successful_payment (optionally delivered twice). Test-only.

import { randomUUID } from "node:crypto";

export type Json = Record<string, unknown>;
export type FakeInvoice = {
  chatId: number;
  messageId: number;
  title: string;
  payload: string;
  amount: number;
};
export type FakeCharge = {
  chargeId: string;
  userId: number;
  payload: string;
  amount: number;
  refunded: boolean;
};

export class StarsFailure extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

export class FakeStars {
  readonly invoices: FakeInvoice[] = [];
  readonly answers = new Map<string, { ok: boolean; error_message?: string; at: number }>();
  readonly charges: FakeCharge[] = [];
  private queries = new Map<string, number>();

  /** Validates a sendInvoice call; returns the invoice part of the message. */
  sendInvoice(p: Json, chatId: number, messageId: number): Json {
    const title = String(p.title ?? "");
    const description = String(p.description ?? "");
    const payload = String(p.payload ?? "");
    let prices = p.prices;
    if (typeof prices === "string") prices = JSON.parse(prices);
    if (p.currency !== "XTR")
      throw new StarsFailure("Bad Request: only XTR invoices are supported by this fake");
    if (p.provider_token !== undefined && p.provider_token !== "")
      throw new StarsFailure("Bad Request: provider_token must be empty for Stars");
    if (!Array.isArray(prices) || prices.length !== 1)
      throw new StarsFailure("Bad Request: STARS_INVOICE_INVALID");
    const amount = (prices[0] as { amount?: unknown }).amount;
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 1)
      throw new StarsFailure("Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID");
    if (title.length < 1 || title.length > 32) throw new StarsFailure("Bad Request: INVOICE_TITLE_INVALID");
    if (description.length < 1 || description.length > 255)
      throw new StarsFailure("Bad Request: INVOICE_DESCRIPTION_INVALID");
    if (bytes(payload) < 1 || bytes(payload) > 128)
      throw new StarsFailure("Bad Request: INVOICE_PAYLOAD_INVALID");
    this.invoices.push({ chatId, messageId, title, payload, amount });
    return { title, description, start_parameter: "", currency: "XTR", total_amount: amount };
  }

  answerPreCheckoutQuery(p: Json): true {
    const id = String(p.pre_checkout_query_id ?? "");
    const asked = this.queries.get(id);
    if (asked === undefined || this.answers.has(id)) throw new StarsFailure("Bad Request: QUERY_ID_INVALID");
    if (Date.now() - asked > 10_000) throw new StarsFailure("Bad Request: query is too old");
    const ok = p.ok === true || p.ok === "true";
    if (!ok && !p.error_message) throw new StarsFailure("Bad Request: error_message is required");
    this.answers.set(id, { ok, error_message: p.error_message as string | undefined, at: Date.now() });
    return true;
  }

  refundStarPayment(p: Json): true {
    const c = this.charges.find(
      (x) => x.chargeId === p.telegram_payment_charge_id && x.userId === Number(p.user_id),
    );
    if (!c) throw new StarsFailure("Bad Request: CHARGE_NOT_FOUND");
    if (c.refunded) throw new StarsFailure("Bad Request: CHARGE_ALREADY_REFUNDED");
    c.refunded = true;
    return true;
  }

  /** A pre_checkout_query update for `invoice` from `user` (remembered for the 10 s rule). */
  query(user: Json, invoice: FakeInvoice, amount = invoice.amount): { update: Json; id: string } {
    const id = randomUUID().replaceAll("-", "").slice(0, 18);
    this.queries.set(id, Date.now());
    return {
      id,
      update: {
        pre_checkout_query: {
          id,
          from: user,
          currency: "XTR",
          total_amount: amount,
          invoice_payload: invoice.payload,
        },
      },
    };
  }

  /** The successful_payment message fields of a new charge. */
  charge(userId: number, invoice: FakeInvoice): Json {
    const chargeId = `stx${randomUUID().replaceAll("-", "")}`;
    this.charges.push({
      chargeId,
      userId,
      payload: invoice.payload,
      amount: invoice.amount,
      refunded: false,
    });
    return {
      successful_payment: {
        currency: "XTR",
        total_amount: invoice.amount,
        invoice_payload: invoice.payload,
        telegram_payment_charge_id: chargeId,
        provider_payment_charge_id: "",
      },
    };
  }
}
