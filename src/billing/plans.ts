// Plans are data: token packs and tier periods with their prices, seeded once from the original's price
// table (original-magic-master.md §4) and edited by the admin afterwards (audited). An order copies the
// plan's figures when it is created, so a later price change never alters an order that exists.

import { z } from "zod";
import { type Actor, type AuditLog, actorOf } from "../db";
import { AppError } from "../errors";
import type { PlanRow, PlanStore } from "./payment-store";

export type { PlanRow } from "./payment-store";

/** The original's TIER_PRICES (₽; 1 token ≈ 100 ₽). Stars prices are ours (about 1 ₽ ≈ 0.6 XTR). */
export const DEFAULT_PLANS: readonly Omit<PlanRow, "updatedAt">[] = [
  plan("tokens_1", "tokens", null, 0, 1, 100_00, 60, "1 токен", "1 token", 10),
  plan("tokens_5", "tokens", null, 0, 5, 500_00, 300, "5 токенов", "5 tokens", 20),
  plan("tokens_10", "tokens", null, 0, 10, 1000_00, 600, "10 токенов", "10 tokens", 30),
  plan("pro_month", "tier", "pro", 30, 50, 1000_00, 600, "Pro на месяц", "Pro for a month", 40),
  plan("pro_year", "tier", "pro", 365, 600, 10000_00, 6000, "Pro на год", "Pro for a year", 50),
  plan("studio_month", "tier", "studio", 30, 100, 2500_00, 1500, "Studio на месяц", "Studio for a month", 60),
  plan("studio_year", "tier", "studio", 365, 1200, 25000_00, 15000, "Studio на год", "Studio for a year", 70),
];

function plan(
  key: string,
  kind: PlanRow["kind"],
  tier: string | null,
  periodDays: number,
  tokens: number,
  amountMinor: number,
  stars: number,
  labelRu: string,
  labelEn: string,
  sort: number,
): Omit<PlanRow, "updatedAt"> {
  return {
    key,
    kind,
    tier,
    periodDays,
    tokens,
    amountMinor,
    currency: "RUB",
    stars,
    labelRu,
    labelEn,
    active: true,
    sort,
  };
}

/** Minor units → YooKassa's amount string ("1000.00"): exact, no float rounding. */
export function moneyString(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

/** "1000.00" / "1000" / "999.5" → minor units; undefined when it is not a non-negative amount. */
export function parseMoney(s: string): number | undefined {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

/** The fields `admin plans set` may change, each parsed from its text form. */
const EDITABLE = {
  price: z.string().transform((v, ctx) => {
    const minor = parseMoney(v);
    if (minor === undefined || minor <= 0) {
      ctx.addIssue({ code: "custom", message: "price must be an amount like 990 or 990.00" });
      return z.NEVER;
    }
    return minor;
  }),
  tokens: z.coerce.number().int().min(0).max(1_000_000),
  period_days: z.coerce.number().int().min(0).max(3660),
  stars: z.union([z.literal("none").transform(() => null), z.coerce.number().int().min(1).max(1_000_000)]),
  label_ru: z.string().trim().min(1).max(100),
  label_en: z.string().trim().min(1).max(100),
  active: z.enum(["on", "off"]).transform((v) => v === "on"),
} as const;
export type PlanField = keyof typeof EDITABLE;
export const PLAN_FIELDS = Object.keys(EDITABLE) as PlanField[];

const COLUMN: Record<PlanField, keyof PlanRow> = {
  price: "amountMinor",
  tokens: "tokens",
  period_days: "periodDays",
  stars: "stars",
  label_ru: "labelRu",
  label_en: "labelEn",
  active: "active",
};

export interface Plans {
  /** Every plan (inactive too when `all`), in display order. */
  list(opts?: { all?: boolean }): PlanRow[];
  get(key: string): PlanRow | undefined;
  /** Changes one field of one plan; audited. Throws plan_not_found / invalid_plan_value. */
  set(key: string, field: string, value: string, actor: string | Actor): PlanRow;
}

export function createPlans({
  store,
  audit,
  now = Date.now,
}: {
  store: PlanStore;
  audit: AuditLog;
  now?: () => number;
}): Plans {
  // Seeded on an empty table only: an operator's edits (or deactivations) are never overwritten.
  store.seed(DEFAULT_PLANS, now());
  return {
    list: (opts) => store.list().filter((p) => opts?.all || p.active),
    get: (key) => store.get(key),
    set(key, field, value, actor) {
      const before = store.get(key);
      if (!before) throw new AppError("plan_not_found", 404, { plan: key });
      if (!(field in EDITABLE))
        throw new AppError("invalid_plan_value", 400, {
          field,
          details: `fields: ${PLAN_FIELDS.join(", ")}`,
        });
      const parsed = EDITABLE[field as PlanField].safeParse(value);
      if (!parsed.success)
        throw new AppError("invalid_plan_value", 400, {
          field,
          details: parsed.error.issues[0]?.message ?? "",
        });
      const column = COLUMN[field as PlanField];
      if (field === "period_days" && before.kind === "tier" && parsed.data === 0)
        throw new AppError("invalid_plan_value", 400, { field, details: "a tier plan needs a period" });
      const after = store.update(key, { [column]: parsed.data }, now());
      audit.record({
        ...actorOf(actor),
        action: "plan_set",
        target: `plan:${key}`,
        details: { field, from: before[column], to: after[column] },
        before: { [field]: before[column] },
        after: { [field]: after[column] },
      });
      return after;
    },
  };
}
