// /api/auth/presets: a signed-in user's saved chain presets (list, create, read, replace, delete). The
// accounts service validates the settings with the master settings schema and keeps at most 50; these
// routes only resolve the caller and build answers from schemas-account.ts.
import { Hono } from "hono";
import { type Preset, PresetInput, type Presets } from "../../accounts";
import type { CallerEnv } from "../middleware/auth";
import { requireUser, userIdOf } from "./history";
import type { RouteDoc } from "./openapi";
import { DeletedSchema, PresetIdParam, PresetListSchema, PresetSchema } from "./schemas-account";
import { v } from "./validate";

const view = (p: Preset) =>
  PresetSchema.parse({
    id: p.id,
    name: p.name,
    settings: p.settings,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  });

export function presetRoutes(d: { presets: Presets; limit: number }) {
  const r = new Hono<CallerEnv>();
  const id = v("param", PresetIdParam);
  const body = v("json", PresetInput);
  r.use("/api/auth/presets", requireUser);
  r.use("/api/auth/presets/*", requireUser);

  r.get("/api/auth/presets", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(PresetListSchema.parse({ presets: d.presets.list(userIdOf(c)).map(view), limit: d.limit }));
  });
  r.post("/api/auth/presets", body, (c) =>
    c.json(view(d.presets.create(userIdOf(c), c.req.valid("json"))), 201),
  );
  r.get("/api/auth/presets/:id", id, (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(view(d.presets.get(userIdOf(c), c.req.valid("param").id)));
  });
  r.put("/api/auth/presets/:id", id, body, (c) =>
    c.json(view(d.presets.replace(userIdOf(c), c.req.valid("param").id, c.req.valid("json")))),
  );
  r.delete("/api/auth/presets/:id", id, (c) => {
    const presetId = c.req.valid("param").id;
    d.presets.remove(userIdOf(c), presetId);
    return c.json(DeletedSchema.parse({ deleted: presetId }));
  });
  return r;
}

/** The OpenAPI rows of these routes (openapi.ts spreads them into its one ROUTES table). */
export const PRESET_DOCS: RouteDoc[] = [
  {
    method: "GET",
    path: "/api/auth/presets",
    summary: "Saved chain presets (at most 50)",
    access: "session",
    ok: { 200: "PresetList" },
  },
  {
    method: "POST",
    path: "/api/auth/presets",
    summary: "Save a chain preset ({name, settings}); settings as a master's; 409 at the 51st or a used name",
    access: "session",
    body: "json",
    input: PresetInput,
    ok: { 201: "Preset" },
  },
  {
    method: "GET",
    path: "/api/auth/presets/:id",
    summary: "One saved preset",
    access: "session",
    ok: { 200: "Preset" },
  },
  {
    method: "PUT",
    path: "/api/auth/presets/:id",
    summary: "Replace a preset's name and settings",
    access: "session",
    body: "json",
    input: PresetInput,
    ok: { 200: "Preset" },
  },
  {
    method: "DELETE",
    path: "/api/auth/presets/:id",
    summary: "Delete a preset",
    access: "session",
    ok: { 200: "Deleted" },
  },
];
