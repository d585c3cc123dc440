// What a tier is (the public view, a zod schema), the seed defaults and the parsing of one
// `admin tiers set <tier> <field>=<value>` assignment. Pure: no SQL, no clock.
//
// Defaults follow the original's published pricing (reference §4): guest and free 1 master a week;
// pro and studio 1 token a master with 10 and 30 a day; uploads 100/100/300/800 MB; batch and API keys
// only for pro/studio. The original locked genre styles and lossy/FLAC export for guests in its UI only;
// here the server enforces that (guest: style "standard", WAV out), and a signed-in free user gets them.

import { z } from "zod";
import { FORMAT_IDS, MODULE_IDS, STYLE_IDS } from "../audio";
import { AppError } from "../errors";

export const PERIODS = ["day", "week", "month"] as const;
export type Period = (typeof PERIODS)[number];

const count = z.number().int().nonnegative();
const allowList = z.array(z.string()).nullable();

export const TierSchema = z.strictObject({
  name: z.string().describe("guest | free | pro | studio"),
  masters_per_period: count.nullable().describe("Masters per period (null: counted by tokens only)"),
  period: z.enum(PERIODS).describe("The period masters_per_period counts over (UTC; a week starts Monday)"),
  daily_cap: count.nullable().describe("Masters per UTC day (null: no daily cap)"),
  tokens: z
    .strictObject({ master: count, preview: count, measure: count, batch_item: count })
    .describe("Tokens one job of each kind costs"),
  upload_max_mb: z.number().int().positive().describe("Largest upload, MB (the format limits still apply)"),
  styles: allowList.describe("Allowed styles (null: all)"),
  formats: allowList.describe("Allowed output formats (null: all)"),
  modules: allowList.describe("Allowed processing modules (null: all)"),
  batch_max: count.describe("Files per batch (0: no batch)"),
  queue_priority: z.number().int().describe("Priority boost of this tier's masters in the queue"),
  api_keys: z.boolean().describe("May create API keys"),
});
export type Tier = z.infer<typeof TierSchema>;

export const TIER_NAMES = ["guest", "free", "pro", "studio"] as const;

const base = {
  period: "week",
  daily_cap: null,
  tokens: { master: 0, preview: 0, measure: 0, batch_item: 0 },
  styles: null,
  formats: null,
  modules: null,
  batch_max: 0,
  queue_priority: 0,
  api_keys: false,
} as const satisfies Partial<Tier>;

const paid = { master: 1, preview: 0, measure: 0, batch_item: 1 };

export const DEFAULT_TIERS: readonly Tier[] = [
  {
    ...base,
    name: "guest",
    masters_per_period: 1,
    upload_max_mb: 100,
    styles: ["standard"],
    formats: ["wav16", "wav24", "wav32f"],
  },
  { ...base, name: "free", masters_per_period: 1, upload_max_mb: 100 },
  {
    ...base,
    name: "pro",
    masters_per_period: null,
    daily_cap: 10,
    tokens: paid,
    upload_max_mb: 300,
    batch_max: 10,
    queue_priority: 1,
    api_keys: true,
  },
  {
    ...base,
    name: "studio",
    masters_per_period: null,
    daily_cap: 30,
    tokens: paid,
    upload_max_mb: 800,
    batch_max: 10,
    queue_priority: 1,
    api_keys: true,
  },
];

/** What `admin tiers set` may change, and the ids a list field accepts. */
export const TIER_FIELDS = [
  "masters_per_period",
  "period",
  "daily_cap",
  "tokens_master",
  "tokens_preview",
  "tokens_measure",
  "tokens_batch_item",
  "upload_max_mb",
  "styles",
  "formats",
  "modules",
  "batch_max",
  "queue_priority",
  "api_keys",
] as const;
export type TierField = (typeof TIER_FIELDS)[number];

export const LIST_IDS: Record<"styles" | "formats" | "modules", readonly string[]> = {
  // "auto" (the style chosen from the input's analysis) can be allowed or withheld like any style.
  styles: [...STYLE_IDS, "auto"],
  formats: FORMAT_IDS,
  modules: MODULE_IDS,
};

const bad = (field: string, value: string, expected: string) =>
  new AppError("invalid_tier_value", 400, { field, value, expected });

function whole(field: string, v: string, o: { nullable: boolean; min: number }): number | null {
  if (o.nullable && /^(none|null|unlimited|-)$/i.test(v)) return null;
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < o.min)
    throw bad(field, v, `a whole number >= ${o.min}${o.nullable ? ' or "unlimited"' : ""}`);
  return n;
}

function list(field: "styles" | "formats" | "modules", v: string): string[] | null {
  if (/^(all|\*)$/i.test(v)) return null;
  if (v === "" || /^none$/i.test(v)) return [];
  const ids = [...new Set(v.split(",").map((s) => s.trim()))].filter(Boolean);
  const known = LIST_IDS[field];
  const unknown = ids.find((id) => !known.includes(id));
  if (unknown !== undefined)
    throw bad(field, unknown, `"all", "none" or a comma list of ${known.join(", ")}`);
  return ids;
}

/** Applies one `field=value` to a tier; throws invalid_tier_field / invalid_tier_value (400). */
export function applyAssignment(tier: Tier, assignment: string): Tier {
  const eq = assignment.indexOf("=");
  const field = (eq < 0 ? assignment : assignment.slice(0, eq)).trim();
  const v = eq < 0 ? "" : assignment.slice(eq + 1).trim();
  if (eq < 0 || !(TIER_FIELDS as readonly string[]).includes(field))
    throw new AppError("invalid_tier_field", 400, { field, fields: TIER_FIELDS.join(", ") });
  const f = field as TierField;
  const t: Tier = { ...tier, tokens: { ...tier.tokens } };
  switch (f) {
    case "masters_per_period":
    case "daily_cap":
      t[f] = whole(f, v, { nullable: true, min: 0 });
      break;
    case "period":
      if (!(PERIODS as readonly string[]).includes(v)) throw bad(f, v, PERIODS.join(" | "));
      t.period = v as Period;
      break;
    case "tokens_master":
    case "tokens_preview":
    case "tokens_measure":
    case "tokens_batch_item": {
      const kind = f.slice("tokens_".length) as keyof Tier["tokens"];
      t.tokens[kind] = whole(f, v, { nullable: false, min: 0 }) ?? 0;
      break;
    }
    case "upload_max_mb":
      t.upload_max_mb = whole(f, v, { nullable: false, min: 1 }) ?? 1;
      break;
    case "batch_max":
      t.batch_max = whole(f, v, { nullable: false, min: 0 }) ?? 0;
      break;
    case "queue_priority":
      t.queue_priority = whole(f, v, { nullable: false, min: -100 }) ?? 0;
      break;
    case "styles":
    case "formats":
    case "modules":
      t[f] = list(f, v);
      break;
    case "api_keys":
      if (!/^(true|false|yes|no|on|off|1|0)$/i.test(v)) throw bad(f, v, "true | false");
      t.api_keys = /^(true|yes|on|1)$/i.test(v);
      break;
  }
  return TierSchema.parse(t);
}
