// Who is acting on an admin route, for the audit log: the admin account ("user:<id>") or the operator's
// token ("http:admin"), with the client address the IP middleware worked out.
import type { Context } from "hono";
import type { Actor } from "../../db";
import type { CallerEnv } from "../middleware/auth";
import type { ClientIpEnv } from "../middleware/client-ip";

export type AdminEnv = CallerEnv & ClientIpEnv;

export function adminActor(c: Context<AdminEnv>): Actor {
  const caller = c.get("caller");
  return {
    actor: caller?.kind === "user" ? `user:${caller.userId}` : "http:admin",
    ip: c.get("clientIp") ?? null,
  };
}
