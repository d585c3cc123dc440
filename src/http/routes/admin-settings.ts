// Admin: settings (issue 14 point 6). GET /api/admin/settings — the runtime settings (src/settings/runtime.ts;
// each one read by the code when it acts, secrets write-only), the feature flags the HTTP edge reads (one
// per guarded route) and maintenance mode. PUT /api/admin/settings/:key {value|null}, POST
// /api/admin/flags/:name {on}; the tiers and plans editors (admin-pricing.ts: the same service calls as
// `admin tiers set` and `admin plans set|add`); "send a test e-mail" and "send a test Telegram message".
// All audited with IP.
import { Hono } from "hono";
import { z } from "zod";
import type { AuditLog } from "../../db";
import { AppError, describeError } from "../../errors";
import { t } from "../../i18n";
import type { Mailer } from "../../notify";
import type { Runtime, Settings } from "../../settings";
import { langOf } from "../errors";
import { FEATURE_ROUTES } from "../middleware/feature-gate";
import { project } from "../project";
import { type AdminEnv, adminActor } from "./admin-actor";
import { type AdminPricingDeps, adminPricingRoutes } from "./admin-pricing";
import {
  AdminFlagSchema,
  AdminSentSchema,
  AdminSettingsSchema,
  RuntimeSettingSchema,
} from "./schemas-admin-ops";
import { v } from "./validate";

export type AdminSettingsDeps = {
  audit: AuditLog;
  settings: Settings;
  runtime: Runtime;
  tiers?: AdminPricingDeps["tiers"];
  plans?: AdminPricingDeps["plans"];
  mailer?: Mailer;
  /** The admin chat's test message (the notifier). */
  sendTelegramTest?: (text: string) => Promise<"sent" | "not_configured" | "failed">;
  adminChat: () => string;
};

const KeyParam = z.object({ key: z.string().min(1).max(64) });
const NameParam = z.object({ name: z.string().min(1).max(64) });
const SettingBody = z.strictObject({ value: z.string().max(2000).nullable() });
const FlagBody = z.strictObject({ on: z.boolean() });
const MailBody = z.strictObject({ to: z.email().max(254) });

/** The flags the HTTP edge reads, with the routes each one guards. */
export function knownFlags(settings: Pick<Settings, "flag">) {
  const by = new Map<string, string[]>();
  for (const [route, flag] of Object.entries(FEATURE_ROUTES)) by.set(flag, [...(by.get(flag) ?? []), route]);
  return [...by].map(([name, routes]) => ({ name, on: settings.flag(name, true), routes }));
}

export function adminSettingsRoutes(d: AdminSettingsDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();

  r.get("/settings", (c) =>
    c.json(
      project(AdminSettingsSchema, {
        values: d.runtime.list(),
        flags: knownFlags(d.settings),
        maintenance: d.settings.maintenance(),
      }),
    ),
  );

  r.put("/settings/:key", v("param", KeyParam), v("json", SettingBody), (c) => {
    const view = d.runtime.set(c.req.valid("param").key, c.req.valid("json").value, adminActor(c));
    return c.json(project(RuntimeSettingSchema, view));
  });

  r.post("/flags/:name", v("param", NameParam), v("json", FlagBody), (c) => {
    const { name } = c.req.valid("param");
    // Only flags some code reads: a typo must not create a flag that does nothing.
    const flag = knownFlags(d.settings).find((f) => f.name === name);
    if (!flag) throw new AppError("flag_unknown", 404, { name });
    const { on } = c.req.valid("json");
    d.settings.setFlag(name, on, adminActor(c));
    return c.json(project(AdminFlagSchema, { ...flag, on }));
  });

  r.post("/test-email", v("json", MailBody), async (c) => {
    const { to } = c.req.valid("json");
    const by = adminActor(c);
    if (!d.mailer?.delivers) throw new AppError("test_mail_not_configured", 409);
    const lang = langOf(c);
    try {
      await d.mailer.send({
        to,
        kind: "admin_test",
        subject: t(lang, "admin_test_mail_subject"),
        text: t(lang, "admin_test_mail_text", { by: by.actor }),
      });
    } catch (err) {
      d.audit.record({ ...by, action: "test_email", target: `email:${to}`, details: { sent: false } });
      throw new AppError("test_mail_failed", 502, { error: describeError(err) });
    }
    d.audit.record({ ...by, action: "test_email", target: `email:${to}`, details: { sent: true } });
    return c.json(project(AdminSentSchema, { sent: true, to }));
  });

  r.post("/test-telegram", async (c) => {
    const by = adminActor(c);
    const outcome = d.sendTelegramTest
      ? await d.sendTelegramTest(t(langOf(c), "admin_test_telegram_text", { by: by.actor }))
      : "not_configured";
    d.audit.record({ ...by, action: "test_telegram", target: `chat:${d.adminChat()}`, details: { outcome } });
    if (outcome === "not_configured") throw new AppError("test_telegram_not_configured", 409);
    if (outcome === "failed") throw new AppError("test_telegram_failed", 502);
    return c.json(project(AdminSentSchema, { sent: true, to: d.adminChat() }));
  });

  r.route("/", adminPricingRoutes({ tiers: d.tiers, plans: d.plans }));
  return r;
}
