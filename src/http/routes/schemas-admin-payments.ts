// Answers and bodies of the admin panel's order actions (admin-payments.ts): the provider's record of an
// order beside what we store, a refund through the provider, reconciling one order now. Strict schemas;
// the provider's own object is shown as it came (credentials blanked by billing's withoutSecrets).
import { z } from "zod";
import { AdminOrderSchema, LedgerLine } from "./schemas-admin-users";

const ms = z.number().int().describe("Unix ms");

export const MoneyStateSchema = z.strictObject({
  status: z.string().describe("The order's status"),
  refunded_minor: z.number().int().describe("Refunded so far, minor units"),
  refunds: z.number().int().describe("Refunds recorded so far"),
  balance: z.number().int().describe("The buyer's token balance"),
});

const RefundLine = z.strictObject({
  id: z.number().int(),
  ref: z.string().describe("Unique per provider refund (also the reversal's ledger ref)"),
  amount_minor: z.number().int(),
  currency: z.string(),
  tokens_due: z.number().int().describe("Tokens this refund's share of the order took back, or would have"),
  tokens_taken: z.number().int().describe("Tokens actually taken (never below a zero balance)"),
  days_due: z.number().int().describe("Tier days taken off"),
  actor: z.string(),
  created_at: ms,
});

const Remote = z.union([
  z.strictObject({
    ok: z.literal(true),
    source: z.enum(["provider", "stored"]).describe("stored: Telegram Stars, nothing to re-fetch"),
    fetched_at: ms,
    object: z.unknown().describe("The provider's object as it answered now (null: no provider payment yet)"),
    refunds: z.array(z.unknown()).describe("The provider's refunds of the payment (YooKassa)"),
  }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: z.string(), message: z.string() }),
  }),
]);

export const AdminOrderRecordSchema = z.strictObject({
  order: AdminOrderSchema,
  remote: Remote.describe("What the provider says now; a provider that does not answer is an error here"),
  money: MoneyStateSchema,
  refunds: z.array(RefundLine).describe("Our refund rows, oldest first"),
  ledger: z.array(LedgerLine).describe("The credit and reversal rows in the buyer's ledger"),
});

export const AdminOrderActionSchema = z.strictObject({
  outcome: z
    .string()
    .describe(
      "refunded | partial_refund | pending (the provider still processes it) | duplicate (nothing changed) | credited | canceled | mismatch | unknown",
    ),
  order: AdminOrderSchema,
  before: MoneyStateSchema,
  after: MoneyStateSchema,
});

export const RefundInput = z.strictObject({
  amount: z
    .string()
    .trim()
    .regex(/^\d{1,9}(?:[.,]\d{1,2})?$/)
    .optional()
    .describe("A part to refund, like 250 or 250.00 (YooKassa only); omitted: all that is still paid"),
  reason: z.string().trim().min(1).max(500).describe("Why (kept in the audit log and the ledger note)"),
  refund_no: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("The order's refunds so far + 1, as the page showed: a stale page gets 409 refund_stale"),
});

export const ReconcileInput = z.strictObject({});
