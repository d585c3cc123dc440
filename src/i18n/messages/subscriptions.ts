// Messages of subscriptions (src/accounts/subscriptions.ts, src/scheduler/subscriptions.ts): the errors of
// extendTier and the warning sent by e-mail and by the bot 3 days before a paid tier ends.
import type { Catalogue } from "../index";

export const subscriptionMessages: Catalogue = {
  tier_not_purchasable: {
    ru: "Тариф «{tier}» нельзя продлить: он неизвестен или бесплатен.",
    en: 'The tier "{tier}" cannot be extended: it is unknown or free.',
  },
  invalid_grant_days: {
    ru: "Срок продления должен быть целым числом дней от 1 до {max} (получено {days}).",
    en: "The extension must be a whole number of days from 1 to {max} (got {days}).",
  },
  invalid_grant_ref: {
    ru: "У продления нет ссылки на платёж или действие.",
    en: "The extension has no payment or action reference.",
  },
  tier_grant_conflict: {
    ru: "Ссылка «{ref}» уже использована для другого продления.",
    en: 'The reference "{ref}" was already used for another extension.',
  },
  tier_expiring_subject: {
    ru: "Тариф {tier} заканчивается {date}",
    en: "Your {tier} tier ends on {date}",
  },
  tier_expiring_text: {
    ru: "Здравствуйте!\n\nВаш тариф {tier} в Magic Master действует до {date} (UTC). После этого аккаунт перейдёт на бесплатный тариф.\n\nЧтобы продлить, оплатите тариф заранее: дни добавятся к текущему сроку.\n{link}",
    en: "Hello,\n\nYour Magic Master {tier} tier is valid until {date} (UTC). After that the account returns to the free tier.\n\nRenew before then and the days are added to the current period.\n{link}",
  },
  tier_expiring_bot: {
    ru: "⏳ Ваш тариф {tier} действует до {date} (UTC). Продлите заранее — дни добавятся к текущему сроку.",
    en: "⏳ Your {tier} tier is valid until {date} (UTC). Renew early and the days are added to the current period.",
  },
};
