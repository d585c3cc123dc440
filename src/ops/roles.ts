// What one `serve` process does: any of the four roles (default all, the embedded single-process setup).
// api: HTTP (web app, API, admin panel); worker: claims and runs jobs; bot: polls Telegram and delivers
// results; scheduler: the croner tasks (cleanup, backups, sweeps, alerts, stats).

export const ROLES = ["api", "worker", "bot", "scheduler"] as const;
export type Role = (typeof ROLES)[number];

export type RoleSet = ReadonlySet<Role>;

export const ALL_ROLES: RoleSet = new Set(ROLES);

/** "api,worker" → the set; throws naming the bad entry (the CLI turns it into a usage error). */
export function parseRoles(value: string): RoleSet {
  const parts = value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 0) throw new Error(`--role needs one or more of ${ROLES.join(", ")}`);
  const out = new Set<Role>();
  for (const p of parts) {
    if (!(ROLES as readonly string[]).includes(p))
      throw new Error(`unknown role "${p}" (expected one or more of ${ROLES.join(", ")}, comma-separated)`);
    out.add(p as Role);
  }
  return out;
}

/** In the canonical order, for logs and health. */
export const roleList = (roles: RoleSet): Role[] => ROLES.filter((r) => roles.has(r));
