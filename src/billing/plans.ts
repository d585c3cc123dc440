// Plans are data: token packs and tier periods with their prices, seeded once from the original's price
// table (original-magic-master.md §4) and edited by the admin afterwards (audited). An order copies the
// plan's figures when it is created, so a later price change never alters an order that exists.

import { z } from "zod";
import { type Actor, type AuditLog, actorOf, schema } from "../db";
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
/** What a plan sells: a token pack or a paid tier (the column's allowed values). */
export const PLAN_KINDS = schema.PLAN_KINDS;

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

/** Plan keys: lower snake case, like the seeded ones (they end up in order rows and URLs). */
export const PLAN_KEY = /^[a-z][a-z0-9_]{1,39}$/;
/** The tiers a plan may sell: the paid ones the seeded price list sells (guest and free are not sold). */
export const SOLD_TIERS: readonly string[] = [
  ...new Set(DEFAULT_PLANS.flatMap((p) => (p.kind === "tier" && p.tier ? [p.tier] : []))),
];

/** A new plan, in the editable fields' text form (as the CLI and the admin API send them). */
export type NewPlan = {
  key: string;
  kind: PlanRow["kind"];
  tier?: string | null;
  /** Sort position; default: after the last plan. */
  sort?: number;
  fields: Record<string, string>;
};

export interface Plans {
  /** Every plan (inactive too when `all`), in display order. */
  list(opts?: { all?: boolean }): PlanRow[];
  get(key: string): PlanRow | undefined;
  /** Changes one field of one plan; audited. Throws plan_not_found / invalid_plan_value. */
  set(key: string, field: string, value: string, actor: string | Actor): PlanRow;
  /**
   * Changes several fields of one plan at once: every value is checked first, then one write and one
   * audit row (nothing changes when one value is refused). Throws plan_not_found / invalid_plan_value.
   */
  update(key: string, fields: Record<string, string>, actor: string | Actor): PlanRow;
  /** Adds a plan (price, labels and, for a tier plan, the period required); audited. Throws plan_exists. */
  add(plan: NewPlan, actor: string | Actor): PlanRow;
}

const invalid = (field: string, details: string) =>
  new AppError("invalid_plan_value", 400, { field, details });

/** Every `field: text` parsed into its column, or the first refusal. */
function parseFields(kind: PlanRow["kind"], fields: Record<string, string>): Partial<PlanRow> {
  const names = Object.keys(fields);
  if (!names.length) throw invalid("", `fields: ${PLAN_FIELDS.join(", ")}`);
  const out: Partial<PlanRow> = {};
  for (const field of names) {
    if (!(field in EDITABLE)) throw invalid(field, `fields: ${PLAN_FIELDS.join(", ")}`);
    const parsed = EDITABLE[field as PlanField].safeParse(fields[field]);
    if (!parsed.success) throw invalid(field, parsed.error.issues[0]?.message ?? "");
    if (field === "period_days" && kind === "tier" && parsed.data === 0)
      throw invalid(field, "a tier plan needs a period");
    Object.assign(out, { [COLUMN[field as PlanField]]: parsed.data });
  }
  return out;
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
  const update = (key: string, fields: Record<string, string>, actor: string | Actor): PlanRow => {
    const before = store.get(key);
    if (!before) throw new AppError("plan_not_found", 404, { plan: key });
    const set = parseFields(before.kind, fields);
    const after = store.update(key, set, now());
    const names = Object.keys(fields) as PlanField[];
    const from = Object.fromEntries(names.map((f) => [f, before[COLUMN[f]]]));
    const to = Object.fromEntries(names.map((f) => [f, after[COLUMN[f]]]));
    const [only] = names;
    audit.record({
      ...actorOf(actor),
      action: "plan_set",
      target: `plan:${key}`,
      // One field keeps the shape `admin plans set` always wrote; several list their names.
      details:
        names.length === 1 && only
          ? { field: only, from: from[only], to: to[only] }
          : { fields: names, from, to },
      before: from,
      after: to,
    });
    return after;
  };
  return {
    list: (opts) => store.list().filter((p) => opts?.all || p.active),
    get: (key) => store.get(key),
    set: (key, field, value, actor) => update(key, { [field]: value }, actor),
    update,
    add(plan, actor) {
      if (!PLAN_KEY.test(plan.key))
        throw invalid("key", "lower-case letters, digits and _ (2–40, starting with a letter)");
      if (store.get(plan.key)) throw new AppError("plan_exists", 409, { plan: plan.key });
      const tier = plan.kind === "tier" ? (plan.tier ?? "") : null;
      if (tier !== null && !SOLD_TIERS.includes(tier)) throw invalid("tier", SOLD_TIERS.join(" | "));
      if (plan.kind === "tokens" && plan.tier) throw invalid("tier", "a token pack sells no tier");
      const required = ["price", "label_ru", "label_en", ...(plan.kind === "tier" ? ["period_days"] : [])];
      const missing = required.find((f) => plan.fields[f] === undefined);
      if (missing) throw invalid(missing, "required");
      const set = parseFields(plan.kind, plan.fields);
      if (plan.kind === "tokens" && (set.periodDays ?? 0) !== 0)
        throw invalid("period_days", "a token pack has no period");
      const last = store.list().reduce((m, p) => Math.max(m, p.sort), 0);
      const row = store.insert(
        {
          key: plan.key,
          kind: plan.kind,
          tier,
          periodDays: 0,
          tokens: 0,
          currency: "RUB",
          stars: null,
          active: true,
          sort: plan.sort ?? last + 10,
          // The required fields were checked above: price and both labels are among them.
          ...(set as Partial<PlanRow> & Pick<PlanRow, "amountMinor" | "labelRu" | "labelEn">),
        },
        now(),
      );
      if (!row) throw new AppError("plan_exists", 409, { plan: plan.key });
      audit.record({
        ...actorOf(actor),
        action: "plan_add",
        target: `plan:${plan.key}`,
        details: { kind: row.kind, tier: row.tier },
        before: null,
        after: row,
      });
      return row;
    },
  };
}
