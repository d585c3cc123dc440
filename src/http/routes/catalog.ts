// The catalogue: styles, presets, output formats and the default chain of a style, in the exact shape
// POST /api/v2/master accepts back (settings JSON), so a client can show, edit and resubmit it.
import { Hono } from "hono";
import type { z } from "zod";
import { FORMATS, MasterSettingsSchema, PRESETS, resolveSettings, STYLES } from "../../audio";
import { AppError } from "../../errors";
import type { Lang } from "../../i18n";
import { langOf } from "../errors";
import type { RouteDoc } from "./openapi";
import { styleName } from "./original-form";
import { ChainQuery } from "./schemas";
import type { ChainSchema, FormatsSchema, PresetsSchema, StylesSchema } from "./schemas-info";
import { v } from "./validate";

/** The editable settings of `style` with every module spelled out (eq bands are part of the style, not sent). */
export function defaultChain(style: string): z.infer<typeof ChainSchema> {
  const parsed = MasterSettingsSchema.safeParse({ style: styleName(style) });
  if (!parsed.success)
    throw new AppError("invalid_settings", 400, { details: `unknown style "${style.slice(0, 40)}"` });
  const r = resolveSettings(parsed.data);
  const { eq, ...rest } = r.modules;
  return {
    version: "v2",
    style: r.style.id,
    target_lufs: r.target_lufs,
    ceiling_dbtp: r.ceiling_dbtp,
    format: r.format.id,
    sample_rate: r.sample_rate,
    modules: { ...rest, eq: { enabled: eq.enabled } },
  };
}

type Entry = {
  id: string;
  names: { ru: string; en: string };
  description: { ru: string; en: string };
  target_lufs: number;
  ceiling_dbtp: number;
};

/** One style or preset as the API shows it, in the caller's language. */
const entry = (e: Entry, lang: Lang) => ({
  id: e.id,
  name: e.names[lang],
  description: e.description[lang],
  target_lufs: e.target_lufs,
  ceiling_dbtp: e.ceiling_dbtp,
});

export function catalogRoutes(): Hono {
  const r = new Hono();
  r.get("/api/styles", (c) => {
    const lang = langOf(c);
    const styles = STYLES.map((s) => ({ ...entry(s, lang), aliases: [...s.aliases] }));
    // `lufs` keyed by id is the original's shape ({styles:{<style>:{lufs}}}); `list` is ours.
    const body: z.infer<typeof StylesSchema> = {
      styles: Object.fromEntries(styles.map((s) => [s.id, { ...s, lufs: s.target_lufs }])),
      list: styles,
    };
    return c.json(body);
  });
  r.get("/api/presets", (c) => {
    const lang = langOf(c);
    const list = PRESETS.map((p) => entry(p, lang));
    const body: z.infer<typeof PresetsSchema> = {
      presets: Object.fromEntries(list.map((p) => [p.id, p.target_lufs])),
      list,
    };
    return c.json(body);
  });
  r.get("/api/formats", (c) =>
    c.json<z.infer<typeof FormatsSchema>>({
      formats: FORMATS.map((f) => ({
        id: f.id,
        extension: f.extension,
        mime: f.mime,
        lossy: f.lossy,
        bit_depth: f.bit_depth,
        default_bitrate: f.default_bitrate,
      })),
    }),
  );
  r.get("/api/v2/chain/default", v("query", ChainQuery), (c) =>
    c.json(defaultChain(c.req.valid("query").style ?? "standard")),
  );
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const CATALOG_DOCS: RouteDoc[] = [
  { method: "GET", path: "/api/styles", summary: "Styles", ok: { 200: "Styles" } },
  { method: "GET", path: "/api/presets", summary: "Platform presets", ok: { 200: "Presets" } },
  { method: "GET", path: "/api/formats", summary: "Output formats", ok: { 200: "Formats" } },
  {
    method: "GET",
    path: "/api/v2/chain/default",
    summary: "Default editable settings of a style",
    query: ["style"],
    ok: { 200: "Chain" },
  },
];
