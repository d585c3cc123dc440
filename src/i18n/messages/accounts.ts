// Messages of sign-in: wrong credentials (one text for a wrong password and an unknown e-mail), attempt
// limits, the answer to a registration, API keys.
import type { Catalogue } from "../index";

export const accountsMessages: Catalogue = {
  invalid_credentials: {
    ru: "Неверный e-mail или пароль.",
    en: "Wrong e-mail or password.",
  },
  too_many_attempts: {
    ru: "Слишком много попыток входа. Повторите через {retry_after} с.",
    en: "Too many sign-in attempts. Retry in {retry_after} s.",
  },
  session_required: {
    ru: "Войдите в аккаунт, чтобы продолжить.",
    en: "Sign in to continue.",
  },
  origin_required: {
    ru: "Запрос с cookie входа без заголовка Origin отклонён. Откройте сервис в браузере по его адресу.",
    en: "A request carrying the sign-in cookie but no Origin header was refused. Open the service at its own address.",
  },
  register_accepted: {
    ru: "Если этот e-mail ещё не зарегистрирован, аккаунт создан и вы вошли. Если зарегистрирован — войдите с его паролем.",
    en: "If this e-mail was not registered yet, the account is created and you are signed in. If it was, sign in with its password.",
  },
  invalid_api_key: {
    ru: "Неизвестный или отозванный API-ключ.",
    en: "Unknown or revoked API key.",
  },
  account_banned: {
    ru: "Аккаунт заблокирован.",
    en: "This account is banned.",
  },
  tier_forbids_api_keys: {
    ru: "Ваш тариф ({tier}) не включает API-ключи.",
    en: "Your tier ({tier}) does not include API keys.",
  },
  api_key_limit: {
    ru: "Не больше {limit} активных API-ключей: отзовите ненужный.",
    en: "At most {limit} active API keys: revoke one you no longer use.",
  },
  api_key_not_found: {
    ru: "API-ключ {id} не найден.",
    en: "API key {id} not found.",
  },
};
