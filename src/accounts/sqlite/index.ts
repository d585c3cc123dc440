// The accounts area's stores on SQLite: every interface of ../stores.ts on one bun:sqlite handle.

import { type DbHandle, recordAudit } from "../../db";
import type { AccountStores } from "../stores";
import { createSqliteAdminUserStore } from "./admin";
import { createSqliteApiKeyStore } from "./api-keys";
import { createSqliteAuthStore } from "./auth";
import { createSqliteBotSessionStore } from "./bot-sessions";
import { createSqliteBotUpdateStore } from "./bot-updates";
import { createSqliteEmailTokenStore } from "./email-tokens";
import { createSqliteLinkStore } from "./link";
import { createSqlitePresetStore } from "./presets";
import { createSqliteReferralStore } from "./referral";
import { createSqliteSubscriptionStore } from "./subs";
import { createSqliteTierStore } from "./tiers";
import { atomicallyOn } from "./tx";
import { createSqliteUserStore } from "./users";

/** `now` stamps bot sessions' updated_at (a test clock may pass its own). */
export function createSqliteAccountStores(dbh: DbHandle, o: { now?: () => number } = {}): AccountStores {
  return {
    users: createSqliteUserStore(dbh),
    auth: createSqliteAuthStore(dbh),
    apiKeys: createSqliteApiKeyStore(dbh),
    emailTokens: createSqliteEmailTokenStore(dbh),
    link: createSqliteLinkStore(dbh),
    referral: createSqliteReferralStore(dbh),
    tiers: createSqliteTierStore(dbh),
    subs: createSqliteSubscriptionStore(dbh),
    admin: createSqliteAdminUserStore(dbh),
    presets: createSqlitePresetStore(dbh),
    botSessions: createSqliteBotSessionStore(dbh, o.now),
    botUpdates: createSqliteBotUpdateStore(dbh),
    audit: (e) => recordAudit(dbh.db, e),
    atomically: atomicallyOn(dbh),
  };
}
