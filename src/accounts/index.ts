// Public face of accounts: users, sign-in, API keys, the Telegram link, language, bans, user reports, tiers
// and limits.

export type { KeyLine, ReferralLine, SessionLine, UserFilter } from "./admin-store";
export {
  type ActingAdmin,
  type AdminUsers,
  type AdminUsersDeps,
  ASSIGNABLE_TIERS,
  createAdminUsers,
  type UserSearch,
} from "./admin-users";
export type { ApiKeyRecord, ApiKeyStore } from "./api-key-store";
export {
  API_KEY_PREFIX,
  type ApiKeys,
  type ApiKeysDeps,
  CreateApiKeyInput,
  createApiKeys,
  defaultAllowsApiKeys,
  isApiKey,
  MAX_ACTIVE_KEYS,
  type ResolvedKey,
  tiersAllowApiKeys,
} from "./api-keys";
export {
  type Auth,
  type AuthDeps,
  type AuthLimits,
  type AuthSweepCounts,
  ChangePasswordInput,
  createAuth,
  DEFAULT_AUTH_LIMITS,
  LoginInput,
  PASSWORD_HASH,
  RegisterInput,
  type RegistrationMail,
  type RequestMeta,
  type SessionGrant,
} from "./auth";
export type { AuthStore, AuthUser } from "./auth-store";
export { createAccountStores } from "./backend";
export type { BotSessionStore } from "./bot-sessions";
export type { BotUpdateStore } from "./bot-updates";
export { botCaller, type Caller, guestCaller, ownerKeyOfUser, userOwnerKey } from "./caller";
export {
  createEmailFlows,
  type EmailFlows,
  type EmailFlowsDeps,
  ForgotInput,
  RESET_TTL_MS,
  ResetInput,
  VERIFY_TTL_MS,
  VerifyQuery,
} from "./email-flows";
export type { EmailTokenStore } from "./email-tokens-store";
export { ensureInitialAdmin, type InitialAdminResult } from "./initial-admin";
export { type Ask, type LimitsView, LimitsViewSchema, periodBounds } from "./limits";
export { createPgAccountStores } from "./pg";
export { createPresets, MAX_PRESETS, type Preset, PresetInput, type Presets } from "./presets";
export {
  type AttachOutcome,
  createReferral,
  normaliseReferralCode,
  type Referral,
  type ReferralBonuses,
  type ReferralLink,
  type ReferralStats,
} from "./referral";
export {
  type Accounts,
  type AccountsDeps,
  type BannedUser,
  createAccounts,
  type TelegramFrom,
  telegramOwnerKey,
  type UserReport,
  type UserRow,
} from "./service";
export { createSqliteAccountStores } from "./sqlite";
export type { FeedbackInput, UserStore, UserTotals } from "./store";
export type { AccountStores } from "./stores";
export {
  createSubscriptions,
  DAY_MS,
  MAX_GRANT_DAYS,
  type Subscriber,
  type Subscriptions,
  type TierGrant,
  type WarningChannel,
} from "./subscriptions";
export {
  betterTier,
  createTelegramLink,
  LINK_CODE_TTL_MS,
  LINK_MAX_FAILURES,
  type LinkResult,
  type TelegramLink,
  TelegramLinkInput,
} from "./telegram-link";
export { createTiers, type Tiers, type TiersDeps } from "./tiers";
export {
  applyAssignment,
  DEFAULT_TIERS,
  LIST_IDS,
  PERIODS,
  TIER_FIELDS,
  TIER_NAMES,
  type Tier,
  type TierField,
  TierSchema,
} from "./tiers-data";
