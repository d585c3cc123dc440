// Every store of the accounts area as one bundle: what the services take instead of a database handle.
// One backend builds them all on one connection (./sqlite/index.ts: createSqliteAccountStores), so a
// service can run several stores' writes, and the audit entry recording them, in one transaction.
// No driver types here (no Database, DbHandle or SQL client).

import type { AuditEntry } from "../db";
import type { AdminUserStore } from "./admin-store";
import type { ApiKeyStore } from "./api-key-store";
import type { AuthStore } from "./auth-store";
import type { BotSessionStore } from "./bot-sessions";
import type { BotUpdateStore } from "./bot-updates";
import type { EmailTokenStore } from "./email-tokens-store";
import type { LinkStore } from "./link-store";
import type { PresetStore } from "./presets-store";
import type { ReferralStore } from "./referral-store";
import type { UserStore } from "./store";
import type { SubscriptionStore } from "./subs-store";
import type { TierStore } from "./tiers-store";

export type AccountStores = {
  users: UserStore;
  auth: AuthStore;
  apiKeys: ApiKeyStore;
  emailTokens: EmailTokenStore;
  link: LinkStore;
  referral: ReferralStore;
  tiers: TierStore;
  subs: SubscriptionStore;
  admin: AdminUserStore;
  presets: PresetStore;
  botSessions: BotSessionStore;
  botUpdates: BotUpdateStore;
  /** Appends an audit entry on the same connection (inside the open transaction, if any). */
  audit(e: AuditEntry): void;
  /** Runs fn in one write transaction, or inside the one already open (a payment credited in one commit). */
  atomically<T>(fn: () => T): T;
};
