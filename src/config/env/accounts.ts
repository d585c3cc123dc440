// Accounts: referral bonuses and how long a web sign-in lasts.

import { int, type Spec } from "../kinds";

export const ACCOUNTS_ENV = {
  MM_REFERRAL_BONUS_INVITEE: {
    schema: int(0, 1000),
    default: "2",
    describe: "Tokens a new user gets for signing up with a referral code (0 = none)",
  },
  MM_REFERRAL_BONUS_INVITER: {
    schema: int(0, 1000),
    default: "3",
    describe: "Tokens the inviter gets after the invitee's first successful job (0 = none)",
  },
  MM_SESSION_DAYS: {
    schema: int(1, 3650),
    default: "30",
    describe: "Days a web sign-in session lasts (logout, a password change or a ban end it at once)",
  },
} satisfies Record<string, Spec>;
