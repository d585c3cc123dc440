// Messages of the Telegram link, the bot's /balance and the referral programme (HTTP errors and bot texts).
import type { Catalogue } from "../index";

export const linkMessages: Catalogue = {
  telegram_code_invalid: {
    ru: "Код неверный или устарел. Попыток осталось: {tries_left}. Новый код — командой /link в боте.",
    en: "The code is wrong or expired. Tries left: {tries_left}. Send /link to the bot for a new code.",
  },
  telegram_link_locked: {
    ru: "Слишком много неверных кодов. Привязка Telegram заблокирована, повторите через {retry_after} с.",
    en: "Too many wrong codes. Linking Telegram is locked; retry in {retry_after} s.",
  },
  telegram_already_linked: {
    ru: "Telegram уже привязан к аккаунту. Сначала отвяжите его.",
    en: "A Telegram account is already linked. Unlink it first.",
  },
  telegram_not_linked: { ru: "Telegram не привязан.", en: "No Telegram account is linked." },
  telegram_user_banned: {
    ru: "Этот Telegram-пользователь заблокирован и не может быть привязан.",
    en: "This Telegram user is banned and cannot be linked.",
  },
  bot_limits_off: {
    ru: "Лимитов нет: на этом сервере оплата выключена.",
    en: "No limits: billing is off on this server.",
  },
  bot_limits_masters: {
    ru: "Мастеринги: {used} из {limit} за {period}, сброс {resets} UTC",
    en: "Masters: {used} of {limit} per {period}, resets {resets} UTC",
  },
  bot_limits_masters_unlimited: { ru: "Мастеринги: без лимита по числу", en: "Masters: no count limit" },
  bot_limits_period_day: { ru: "сутки", en: "day" },
  bot_limits_period_week: { ru: "неделю", en: "week" },
  bot_limits_period_month: { ru: "месяц", en: "month" },
  bot_limits_daily: { ru: "За сутки: {used} из {limit}", en: "Today: {used} of {limit}" },
  bot_limits_cost: { ru: "Мастеринг стоит {tokens} ток.", en: "A master costs {tokens} tokens" },
  bot_limits_remaining: { ru: "Доступно сейчас: {n}", en: "Available now: {n}" },
  bot_limits_upload: { ru: "Файл до {mb} МБ", en: "Files up to {mb} MB" },
  bot_cmd_link: { ru: "Привязать аккаунт сайта", en: "Link your web account" },
  bot_cmd_balance: { ru: "Баланс, тариф и лимиты", en: "Balance, tier and limits" },
  bot_cmd_ref: { ru: "Пригласить друга", en: "Invite a friend" },
  bot_link_code: {
    ru: "Ваш код привязки: {digits}\n\nВойдите на сайте и введите его в профиле (действует {minutes} мин, 5 неверных попыток — и код сгорит). После привязки баланс, история и тариф станут общими.",
    en: "Your link code: {digits}\n\nSign in on the website and enter it in your profile (valid {minutes} min; 5 wrong tries burn it). After linking, balance, history and tier are shared.",
  },
  bot_link_already: {
    ru: "Telegram уже привязан к аккаунту {email}. Отвязать можно в профиле на сайте.",
    en: "This Telegram is already linked to {email}. You can unlink it in your profile on the website.",
  },
  bot_balance: {
    ru: "Баланс: {balance} ток.\nТариф: {tier}",
    en: "Balance: {balance} tokens\nTier: {tier}",
  },
  bot_balance_expires: { ru: "Тариф действует до {date} (UTC)", en: "Tier valid until {date} (UTC)" },
  bot_ref_link: {
    ru: "Пригласите друга: он получит {invitee} ток. при регистрации, вы — {inviter} ток. после его первого мастеринга.\n\nБот: {bot}\nСайт: {web}",
    en: "Invite a friend: they get {invitee} tokens on sign-up, you get {inviter} after their first master.\n\nBot: {bot}\nWebsite: {web}",
  },
  bot_referral_welcome: {
    ru: "Вы пришли по приглашению — на баланс начислено {bonus} ток.",
    en: "You came by invitation: {bonus} tokens were added to your balance.",
  },
  bot_referral_self: {
    ru: "Это ваша собственная ссылка-приглашение — бонус за неё не начисляется.",
    en: "That is your own invitation link: it earns no bonus.",
  },
};
