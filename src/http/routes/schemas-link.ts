// The zod schemas of the Telegram link and referral answers (strict: no undocumented field, no internal
// ids of other users).
import { z } from "zod";

export const TelegramLinkedSchema = z.strictObject({
  telegram_linked: z.literal(true),
  telegram_username: z.string().nullable().describe("The Telegram @username, when it has one"),
  moved_tokens: z.number().int().describe("Tokens moved from the Telegram user's balance (once)"),
  moved_jobs: z.number().int().describe("Tasks of the Telegram user now in this account's history"),
  balance: z.number().int().describe("The account's balance after the merge"),
});

export const ReferralLinkSchema = z.strictObject({
  referral_code: z.string(),
  referral_url: z.string().describe("The web sign-up link: <MM_PUBLIC_URL>/register?ref=CODE"),
  bot_referral_url: z
    .string()
    .nullable()
    .describe("https://t.me/<bot>?start=ref_CODE (null while the bot is off)"),
});

export const ReferralStatsSchema = z.strictObject({
  referrals: z.array(
    z.strictObject({
      status: z.enum(["pending", "rewarded", "void"]),
      via: z.enum(["web", "bot"]),
      created_at: z.number(),
      rewarded_at: z.number().nullable(),
    }),
  ),
  total_invited: z.number().int().describe("Referrals not voided"),
  total_rewarded: z.number().int(),
  bonus_invitee: z.number().int().describe("MM_REFERRAL_BONUS_INVITEE"),
  bonus_inviter: z.number().int().describe("MM_REFERRAL_BONUS_INVITER"),
});
