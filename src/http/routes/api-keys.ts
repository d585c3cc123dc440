// /api/auth/api-keys: list (a session or a key), create and revoke (a session only: a leaked key must not
// mint more keys nor revoke its owner's other keys). The clear key appears once, in the 201 of POST.
import { Hono } from "hono";
import { z } from "zod";
import { type ApiKeys, CreateApiKeyInput, MAX_ACTIVE_KEYS } from "../../accounts";
import { AppError } from "../../errors";
import type { CallerEnv } from "../middleware/auth";
import { ApiKeyCreatedSchema, ApiKeyListSchema, apiKeyView, OkSchema } from "./auth-schemas";
import { v } from "./validate";

const KeyIdParam = z.object({ id: z.coerce.number().int().positive() });

export function apiKeyRoutes(keys: ApiKeys) {
  const r = new Hono<CallerEnv>();
  r.get("/api/auth/api-keys", (c) => {
    const user = c.get("account");
    if (!user) throw new AppError("session_required", 401);
    c.header("Cache-Control", "no-store");
    return c.json(
      ApiKeyListSchema.parse({ keys: keys.listActive(user.id).map(apiKeyView), limit: MAX_ACTIVE_KEYS }),
    );
  });
  r.post("/api/auth/api-keys", v("json", CreateApiKeyInput), (c) => {
    const s = c.get("session");
    if (!s) throw new AppError("session_required", 401);
    const { key, record } = keys.create(s.user, c.req.valid("json"));
    c.header("Cache-Control", "no-store");
    return c.json(ApiKeyCreatedSchema.parse({ ...apiKeyView(record), key }), 201);
  });
  r.delete("/api/auth/api-keys/:id", v("param", KeyIdParam), (c) => {
    const s = c.get("session");
    if (!s) throw new AppError("session_required", 401);
    keys.revoke(s.user.id, c.req.valid("param").id);
    return c.json(OkSchema.parse({ ok: true }));
  });
  return r;
}
