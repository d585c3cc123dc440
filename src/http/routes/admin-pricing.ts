// Admin: the tiers and plans editors (issue 14 point 6), mounted by admin-settings.ts. The same service
// calls as `magic-master admin tiers set` and `admin plans set|add`, each change one audited entry with
// the admin and the IP. GET /api/admin/tiers, PUT /api/admin/tiers/:name {set: {field: text}};
// GET /api/admin/plans, PUT /api/admin/plans/:key {field, value} (one field), PATCH /api/admin/plans/:key
// {set: {field: text}} (several fields, all or nothing), POST /api/admin/plans (a new plan). Values are in
// the CLI's text form ("unlimited", "all", "990.00"), so the panel, scripts and the CLI share one parser.
// An order copies its plan's figures when created: no edit here alters an order that exists.
import { Hono } from "hono";
import { z } from "zod";
import { LIST_IDS, PERIODS, TIER_FIELDS, TierSchema, type Tiers } from "../../accounts";
import { PLAN_FIELDS, PLAN_KINDS, type PlanRow, type Plans, SOLD_TIERS } from "../../billing";
import { project } from "../project";
import { type AdminEnv, adminActor } from "./admin-actor";
import { AdminPlanSchema, AdminPlansSchema, AdminTiersSchema } from "./schemas-admin-ops";
import { v } from "./validate";

export type AdminPricingDeps = {
  tiers?: Pick<Tiers, "list" | "set">;
  plans?: Pick<Plans, "list" | "set" | "update" | "add">;
};

const KeyParam = z.object({ key: z.string().min(1).max(64) });
const NameParam = z.object({ name: z.string().min(1).max(64) });
/** `{set: {field: text}}`: at least one field; the service checks names and values and refuses precisely. */
const Assignments = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((o) => Object.keys(o).length > 0, "at least one field");
const SetBody = z.strictObject({ set: Assignments });
const PlanFieldBody = z.strictObject({ field: z.string().min(1).max(40), value: z.string().max(500) });
const NewPlanBody = z.strictObject({
  key: z.string().min(1).max(40),
  kind: z.enum(PLAN_KINDS),
  tier: z.string().min(1).max(32).nullable().optional(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  set: Assignments,
});

const planView = (p: PlanRow) => ({
  key: p.key,
  kind: p.kind,
  tier: p.tier,
  period_days: p.periodDays,
  tokens: p.tokens,
  amount_minor: p.amountMinor,
  currency: p.currency,
  stars: p.stars,
  label_ru: p.labelRu,
  label_en: p.labelEn,
  active: p.active,
  sort: p.sort,
});

export function adminPricingRoutes(d: AdminPricingDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  const tiers = d.tiers;
  if (tiers) {
    r.get("/tiers", (c) =>
      c.json(
        project(AdminTiersSchema, {
          tiers: tiers.list(),
          choices: {
            fields: [...TIER_FIELDS],
            periods: [...PERIODS],
            styles: [...LIST_IDS.styles],
            formats: [...LIST_IDS.formats],
            modules: [...LIST_IDS.modules],
          },
        }),
      ),
    );
    r.put("/tiers/:name", v("param", NameParam), v("json", SetBody), (c) => {
      const assignments = Object.entries(c.req.valid("json").set).map(([k, val]) => `${k}=${val}`);
      return c.json(project(TierSchema, tiers.set(c.req.valid("param").name, assignments, adminActor(c))));
    });
  }
  const plans = d.plans;
  if (plans) {
    const one = (row: PlanRow) => project(AdminPlanSchema, planView(row));
    r.get("/plans", (c) =>
      c.json(
        project(AdminPlansSchema, {
          plans: plans.list({ all: true }).map(planView),
          choices: { fields: [...PLAN_FIELDS], tiers: [...SOLD_TIERS] },
        }),
      ),
    );
    r.put("/plans/:key", v("param", KeyParam), v("json", PlanFieldBody), (c) => {
      const { field, value } = c.req.valid("json");
      return c.json(one(plans.set(c.req.valid("param").key, field, value, adminActor(c))));
    });
    r.patch("/plans/:key", v("param", KeyParam), v("json", SetBody), (c) =>
      c.json(one(plans.update(c.req.valid("param").key, c.req.valid("json").set, adminActor(c)))),
    );
    r.post("/plans", v("json", NewPlanBody), (c) => {
      const b = c.req.valid("json");
      const row = plans.add(
        { key: b.key, kind: b.kind, tier: b.tier, sort: b.sort, fields: b.set },
        adminActor(c),
      );
      return c.json(one(row), 201);
    });
  }
  return r;
}
