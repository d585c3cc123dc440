// The accounts area's stores on Postgres: every interface of ../stores.ts on one synchronous client, so
// a service's writes across stores and its audit entry share one transaction, as on SQLite.

import type { PgClient } from "../../db";
import { appendPgAudit } from "../../db";
import type { AccountStores } from "../stores";
import { createPgAdminUserStore } from "./admin";
import { createPgApiKeyStore } from "./api-keys";
import { createPgAuthStore } from "./auth";
import { createPgBotSessionStore } from "./bot-sessions";
import { createPgBotUpdateStore } from "./bot-updates";
import { createPgEmailTokenStore } from "./email-tokens";
import { createPgLinkStore } from "./link";
import { createPgPresetStore } from "./presets";
import { createPgReferralStore } from "./referral";
import { atomicallyOn } from "./sql";
import { createPgSubscriptionStore } from "./subs";
import { createPgTierStore } from "./tiers";
import { createPgUserStore } from "./users";

/** `now` stamps bot sessions' updated_at (a test clock may pass its own). */
export function createPgAccountStores(pg: PgClient, o: { now?: () => number } = {}): AccountStores {
  return {
    users: createPgUserStore(pg),
    auth: createPgAuthStore(pg),
    apiKeys: createPgApiKeyStore(pg),
    emailTokens: createPgEmailTokenStore(pg),
    link: createPgLinkStore(pg),
    referral: createPgReferralStore(pg),
    tiers: createPgTierStore(pg),
    subs: createPgSubscriptionStore(pg),
    admin: createPgAdminUserStore(pg),
    presets: createPgPresetStore(pg),
    botSessions: createPgBotSessionStore(pg, o.now),
    botUpdates: createPgBotUpdateStore(pg),
    audit: (e) => appendPgAudit(pg, e),
    atomically: atomicallyOn(pg),
  };
}
