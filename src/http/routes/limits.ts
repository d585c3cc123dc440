// GET /api/limits: the caller's tier (guest by client IP, a session or an API key), what it used, what is
// left and when it resets. Read-only; the numbers are the ones submission enforces (accounts' tiers).
// `upload_formats_mb` adds the byte caps the upload code applies per format class (config, lowered by the
// tier), so a browser can refuse an over-limit file before sending a byte of it.
import { Hono } from "hono";
import { z } from "zod";
import { LimitsViewSchema, type Tiers } from "../../accounts";
import type { Config } from "../../config";
import type { CallerEnv } from "../middleware/auth";
import type { RouteDoc } from "./openapi";

const mb = z.number().int().positive();
export const LimitsAnswerSchema = LimitsViewSchema.extend({
  upload_formats_mb: z
    .strictObject({ wav: mb, flac: mb, lossy: mb })
    .describe(
      "Largest upload per format class (WAV/AIFF, FLAC, MP3/M4A/OGG), MB: the format limit or the tier's, whichever is smaller",
    ),
});

export function limitsRoutes(tiers: Tiers, config: Config) {
  const r = new Hono<CallerEnv>();
  r.get("/api/limits", (c) => {
    const view = tiers.limitsFor(c.get("caller"));
    const cap = (formatMb: number) =>
      view.upload_max_mb === null ? formatMb : Math.min(formatMb, view.upload_max_mb);
    return c.json(
      LimitsAnswerSchema.parse({
        ...view,
        upload_formats_mb: {
          wav: cap(config.MM_UPLOAD_MAX_MB_WAV),
          flac: cap(config.MM_UPLOAD_MAX_MB_FLAC),
          lossy: cap(config.MM_UPLOAD_MAX_MB_LOSSY),
        },
      }),
    );
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const LIMITS_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/limits",
    summary: "The caller's tier (guest by IP, session or API key): used, remaining, when it resets",
    ok: { 200: "Limits" },
  },
];
