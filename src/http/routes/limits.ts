// GET /api/limits: the caller's tier (guest by client IP, a session or an API key), what it used, what is
// left and when it resets. Read-only; the numbers are the ones submission enforces (accounts' tiers).
import { Hono } from "hono";
import { LimitsViewSchema, type Tiers } from "../../accounts";
import type { CallerEnv } from "../middleware/auth";

export function limitsRoutes(tiers: Tiers) {
  const r = new Hono<CallerEnv>();
  r.get("/api/limits", (c) => c.json(LimitsViewSchema.parse(tiers.limitsFor(c.get("caller")))));
  return r;
}
