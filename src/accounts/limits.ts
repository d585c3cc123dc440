// The limit rules, pure: period arithmetic (UTC), the refusals a submission can meet (each a precise
// AppError whose code names the limit, with when it resets) and the GET /api/limits view.

import { z } from "zod";
import { AppError } from "../errors";
import type { Period, Tier } from "./tiers-data";

const DAY = 86_400_000;
const MB = 1024 * 1024;

/** Start of the period containing `now` and the start of the next one (UTC; weeks start on Monday). */
export function periodBounds(period: Period, now: number): { start: number; resetsAt: number } {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === "day") return { start: midnight, resetsAt: midnight + DAY };
  if (period === "week") {
    const start = midnight - ((d.getUTCDay() + 6) % 7) * DAY;
    return { start, resetsAt: start + 7 * DAY };
  }
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { start, resetsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/** What a submission asks for: `count` jobs of `kind` (a batch when `batch`), with these settings and sizes. */
export type Ask = {
  kind: "master" | "preview" | "measure";
  count?: number;
  batch?: boolean;
  settings?: { style?: string; format?: string; modules?: Record<string, unknown> };
  bytes?: readonly number[];
};

/** What the period and the day have used of the tier's masters. */
export type Used = { period: number; day: number };

const resetParams = (resetsAt: number, now: number) => ({
  resets_at: resetsAt,
  resets: `${new Date(resetsAt).toISOString().slice(0, 16).replace("T", " ")} UTC`,
  retry_after: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
});

const enabled = (v: unknown) =>
  !(v && typeof v === "object" && (v as { enabled?: unknown }).enabled === false);

/** Throws the first refusal of what the tier never allows (batch, size, style, format, module). */
export function assertAllowed(tier: Tier, ask: Ask): void {
  const n = ask.count ?? 1;
  if (ask.batch) {
    if (tier.batch_max === 0) throw new AppError("tier_forbids_batch", 403, { tier: tier.name });
    if (n > tier.batch_max)
      throw new AppError("batch_too_large_for_tier", 403, {
        tier: tier.name,
        limit: tier.batch_max,
        count: n,
      });
  }
  const biggest = Math.max(0, ...(ask.bytes ?? []));
  if (biggest > tier.upload_max_mb * MB)
    throw new AppError("upload_too_large_for_tier", 413, { tier: tier.name, limit_mb: tier.upload_max_mb });
  const s = ask.settings;
  if (!s) return;
  const style = s.style ?? "standard";
  if (tier.styles && !tier.styles.includes(style))
    throw new AppError("tier_forbids_style", 403, {
      tier: tier.name,
      style,
      allowed: tier.styles.join(", "),
    });
  const format = s.format ?? "wav24";
  if (tier.formats && !tier.formats.includes(format))
    throw new AppError("tier_forbids_format", 403, {
      tier: tier.name,
      format,
      allowed: tier.formats.join(", "),
    });
  const allowedModules = tier.modules;
  if (!allowedModules) return;
  const asked = Object.entries(s.modules ?? {}).find(([id, v]) => enabled(v) && !allowedModules.includes(id));
  if (asked)
    throw new AppError("tier_forbids_module", 403, {
      tier: tier.name,
      module: asked[0],
      allowed: allowedModules.join(", ") || "—",
    });
}

/** Throws limit_reached / daily_limit_reached (429) when `n` more masters would pass a count. */
export function assertCounts(tier: Tier, used: Used, n: number, now: number): void {
  if (tier.masters_per_period !== null && used.period + n > tier.masters_per_period) {
    const { resetsAt } = periodBounds(tier.period, now);
    throw new AppError("limit_reached", 429, {
      tier: tier.name,
      limit: tier.masters_per_period,
      used: used.period,
      period: tier.period,
      ...resetParams(resetsAt, now),
    });
  }
  if (tier.daily_cap !== null && used.day + n > tier.daily_cap) {
    const { resetsAt } = periodBounds("day", now);
    throw new AppError("daily_limit_reached", 429, {
      tier: tier.name,
      limit: tier.daily_cap,
      used: used.day,
      ...resetParams(resetsAt, now),
    });
  }
}

/** Tokens `n` jobs of this kind cost on this tier (batch items have their own price). */
export const costFor = (tier: Tier, kind: Ask["kind"], batch: boolean, n = 1): number =>
  n * (kind === "master" && batch ? tier.tokens.batch_item : tier.tokens[kind]);

const nullableCount = z.number().int().nullable();

export const LimitsViewSchema = z.strictObject({
  tier: z.string().describe("guest | free | pro | studio"),
  billing: z.enum(["off", "on"]).describe("off: nothing is limited or charged (self-hosted default)"),
  masters: z.strictObject({
    used: z.number().int().describe("Masters counted in this period"),
    limit: nullableCount.describe("Masters allowed per period (null: no count limit)"),
    remaining: nullableCount,
    period: z.enum(["day", "week", "month"]),
    resets_at: z.number().int().nullable().describe("When the period count starts again (unix ms)"),
  }),
  daily: z.strictObject({
    used: z.number().int(),
    limit: nullableCount.describe("Masters per UTC day (null: no daily cap)"),
    remaining: nullableCount,
    resets_at: z.number().int().nullable(),
  }),
  tokens: z.strictObject({
    balance: z.number().int().nullable().describe("The caller's tokens (null for a guest)"),
    master: z.number().int(),
    preview: z.number().int(),
    measure: z.number().int(),
    batch_item: z.number().int(),
  }),
  remaining: nullableCount.describe("Masters the caller can submit now (null: unlimited)"),
  upload_max_mb: z.number().int().nullable().describe("The tier's upload cap (null: format limits only)"),
  batch_max: z.number().int(),
  api_keys: z.boolean(),
  priority_queue: z.boolean(),
  styles: z.array(z.string()).nullable(),
  formats: z.array(z.string()).nullable(),
  modules: z.array(z.string()).nullable(),
});
export type LimitsView = z.infer<typeof LimitsViewSchema>;

const left = (limit: number | null, used: number) => (limit === null ? null : Math.max(0, limit - used));
const minOf = (xs: (number | null)[]) => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? Math.min(...known) : null;
};

/** The view of a tier for its caller; with billing off everything is unlimited and free. */
export function limitsView(
  tier: Tier,
  o: { enforced: boolean; used: Used; balance: number | null; batchMaxOff: number; now: number },
): LimitsView {
  const { used, now } = o;
  if (!o.enforced)
    return {
      tier: tier.name,
      billing: "off",
      masters: { used: used.period, limit: null, remaining: null, period: tier.period, resets_at: null },
      daily: { used: used.day, limit: null, remaining: null, resets_at: null },
      tokens: { balance: o.balance, master: 0, preview: 0, measure: 0, batch_item: 0 },
      remaining: null,
      upload_max_mb: null,
      batch_max: o.batchMaxOff,
      api_keys: tier.api_keys,
      priority_queue: false,
      styles: null,
      formats: null,
      modules: null,
    };
  const period = left(tier.masters_per_period, used.period);
  const daily = left(tier.daily_cap, used.day);
  const perToken = tier.tokens.master;
  const affordable = perToken > 0 ? Math.floor((o.balance ?? 0) / perToken) : null;
  return {
    tier: tier.name,
    billing: "on",
    masters: {
      used: used.period,
      limit: tier.masters_per_period,
      remaining: period,
      period: tier.period,
      resets_at: tier.masters_per_period === null ? null : periodBounds(tier.period, now).resetsAt,
    },
    daily: {
      used: used.day,
      limit: tier.daily_cap,
      remaining: daily,
      resets_at: tier.daily_cap === null ? null : periodBounds("day", now).resetsAt,
    },
    tokens: { balance: o.balance, ...tier.tokens },
    remaining: minOf([period, daily, affordable]),
    upload_max_mb: tier.upload_max_mb,
    batch_max: tier.batch_max,
    api_keys: tier.api_keys,
    priority_queue: tier.queue_priority > 0,
    styles: tier.styles,
    formats: tier.formats,
    modules: tier.modules,
  };
}
