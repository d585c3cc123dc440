// The zod schemas of /api/payments/*: plans, a created payment, an order's state. Strict, like every answer.
import { z } from "zod";
import type { OrderRow, PlanRow } from "../../billing";
import { moneyString } from "../../billing";
import type { Lang } from "../../i18n";

const Money = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .describe('Amount with two decimals, e.g. "1000.00"');

const PlanEntry = z.strictObject({
  key: z.string(),
  kind: z.enum(["tokens", "tier"]),
  tier: z.string().nullable().describe("The tier a tier plan sets (null: a token pack)"),
  label: z.string().describe("In the caller's language"),
  amount: Money,
  currency: z.string(),
  period_days: z.number().int().describe("Days a tier plan adds (0 for token packs)"),
  tokens: z.number().int().describe("Tokens credited"),
  stars: z.number().int().nullable().describe("Telegram Stars price (null: not sold for Stars)"),
});

export const PlansSchema = z.strictObject({
  plans: z
    .record(
      z.string(),
      z.strictObject({
        tier: z.string().describe('The tier, or "tokens" for a pack'),
        label: z.string(),
        amount: z.number().describe("Price in whole currency units"),
        currency: z.string(),
        period_days: z.number().int(),
        tokens_included: z.number().int(),
      }),
    )
    .describe("By plan key (the original's shape)"),
  list: z.array(PlanEntry),
  providers: z
    .array(z.string())
    .describe("Providers POST /api/payments/create accepts now (empty: payments off)"),
});

export const CreatePaymentInput = z.strictObject({
  plan: z.string().min(1).max(64),
  provider: z
    .enum(["yookassa", "platega"])
    .optional()
    .describe("Default: the first of the plans answer's providers"),
});

export const CreatedPaymentSchema = z.strictObject({
  order_id: z.string(),
  provider: z.string(),
  payment_id: z.string(),
  confirmation_url: z
    .string()
    .describe("Send the buyer here; the provider returns them to MM_PUBLIC_URL/?order=<id>"),
  status: z.enum(["pending", "succeeded", "canceled", "refunded"]),
});

export const OrderSchema = z.strictObject({
  order_id: z.string(),
  plan: z.string(),
  status: z.enum(["pending", "succeeded", "canceled", "refunded"]),
  amount: Money,
  currency: z.string(),
  tokens: z.number().int(),
  tier: z.string().nullable(),
  period_days: z.number().int(),
  provider: z.string(),
  payment_id: z.string().nullable(),
  created_at: z.number(),
  paid_at: z.number().nullable(),
  refunded_at: z.number().nullable(),
});

export const WebhookAckSchema = z.strictObject({ ok: z.literal(true) });

export function plansView(rows: PlanRow[], lang: Lang, providers: string[]): z.infer<typeof PlansSchema> {
  const label = (p: PlanRow) => (lang === "ru" ? p.labelRu : p.labelEn);
  return PlansSchema.parse({
    plans: Object.fromEntries(
      rows.map((p) => [
        p.key,
        {
          tier: p.tier ?? "tokens",
          label: label(p),
          amount: p.amountMinor / 100,
          currency: p.currency,
          period_days: p.periodDays,
          tokens_included: p.tokens,
        },
      ]),
    ),
    list: rows.map((p) => ({
      key: p.key,
      kind: p.kind,
      tier: p.tier,
      label: label(p),
      amount: moneyString(p.amountMinor),
      currency: p.currency,
      period_days: p.periodDays,
      tokens: p.tokens,
      stars: p.stars,
    })),
    providers,
  });
}

export function orderView(o: OrderRow): z.infer<typeof OrderSchema> {
  return OrderSchema.parse({
    order_id: o.id,
    plan: o.planKey,
    status: o.status,
    amount: moneyString(o.amountMinor),
    currency: o.currency,
    tokens: o.tokens,
    tier: o.tier,
    period_days: o.periodDays,
    provider: o.provider,
    payment_id: o.providerPaymentId,
    created_at: o.createdAt,
    paid_at: o.paidAt,
    refunded_at: o.refundedAt,
  });
}
