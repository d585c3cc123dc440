// E-mails (verification, reset, welcome, "this address already has an account") and the answers and
// errors of the e-mail flows. A mail is written in the user's stored language, not the requester's.
import type { Catalogue } from "../index";

export const mailMessages: Catalogue = {
  mail_verify_subject: {
    ru: "Magic Master: подтвердите e-mail",
    en: "Magic Master: confirm your e-mail",
  },
  mail_verify_text: {
    ru: "Здравствуйте!\n\nЧтобы подтвердить адрес для аккаунта Magic Master, откройте ссылку:\n{link}\n\nСсылка действует {hours} ч и сработает один раз. Если вы не регистрировались, просто удалите это письмо.",
    en: "Hello,\n\nTo confirm this address for your Magic Master account, open the link:\n{link}\n\nThe link works once, within {hours} h. If you did not sign up, just delete this mail.",
  },
  mail_reset_subject: {
    ru: "Magic Master: сброс пароля",
    en: "Magic Master: reset your password",
  },
  mail_reset_text: {
    ru: "Здравствуйте!\n\nКто-то (надеемся, вы) попросил сбросить пароль аккаунта Magic Master. Новый пароль можно задать по ссылке:\n{link}\n\nСсылка действует {minutes} мин и сработает один раз; после сброса все входы в аккаунт завершатся. Если вы ничего не просили, ничего не делайте: пароль останется прежним.",
    en: "Hello,\n\nSomeone (hopefully you) asked to reset the password of your Magic Master account. Set a new one here:\n{link}\n\nThe link works once, within {minutes} min; a reset signs out every session of the account. If you did not ask, do nothing: your password stays as it is.",
  },
  mail_welcome_subject: {
    ru: "Добро пожаловать в Magic Master",
    en: "Welcome to Magic Master",
  },
  mail_welcome_text: {
    ru: "Здравствуйте!\n\nАккаунт Magic Master готов. Загрузите трек и получите мастер: {link}\n\nПароль можно сменить в аккаунте, а забытый — сбросить со страницы входа.",
    en: "Hello,\n\nYour Magic Master account is ready. Upload a track and get it mastered: {link}\n\nYou can change your password in the account, and reset a forgotten one from the sign-in page.",
  },
  mail_register_known_subject: {
    ru: "Magic Master: попытка регистрации с вашим адресом",
    en: "Magic Master: someone tried to sign up with your address",
  },
  mail_register_known_text: {
    ru: "Здравствуйте!\n\nС этим адресом попытались зарегистрироваться, но аккаунт уже есть. Если это были вы — войдите с прежним паролем или сбросьте его: {link}\nЕсли нет, ничего не делайте: аккаунт не изменился.",
    en: "Hello,\n\nSomeone tried to sign up with this address, but it already has an account. If it was you, sign in with your password or reset it: {link}\nIf not, do nothing: the account is unchanged.",
  },
  register_check_mail: {
    ru: "Проверьте почту: если этот e-mail ещё не зарегистрирован, мы отправили ссылку для подтверждения; если зарегистрирован — письмо о том, как войти.",
    en: "Check your mail: if this e-mail was not registered yet, we sent a confirmation link; if it was, a mail on how to sign in.",
  },
  forgot_accepted: {
    ru: "Если аккаунт с этим e-mail существует, мы отправили на него ссылку для сброса пароля (действует 1 ч).",
    en: "If an account with this e-mail exists, a password reset link was sent to it (valid for 1 h).",
  },
  password_reset_done: {
    ru: "Пароль изменён, все входы в аккаунт завершены. Войдите с новым паролем.",
    en: "Password changed and every session ended. Sign in with the new password.",
  },
  email_verified_done: {
    ru: "E-mail подтверждён.",
    en: "E-mail confirmed.",
  },
  token_invalid: {
    ru: "Ссылка недействительна: она неверна, уже использована или истекла. Запросите новую.",
    en: "This link is not valid: it is wrong, already used or expired. Ask for a new one.",
  },
  email_not_verified: {
    ru: "E-mail не подтверждён. Мы отправили ссылку для подтверждения ещё раз — откройте её и войдите снова.",
    en: "The e-mail is not confirmed yet. We sent the confirmation link again: open it, then sign in.",
  },
  admin_required: {
    ru: "Нужны права администратора.",
    en: "Administrator rights are required.",
  },
  web_forgot_title: { ru: "Забыли пароль?", en: "Forgot your password?" },
  web_forgot_email: { ru: "E-mail аккаунта", en: "The account's e-mail" },
  web_forgot_submit: { ru: "Прислать ссылку для сброса", en: "Send me a reset link" },
  web_reset_title: { ru: "Новый пароль", en: "New password" },
  web_reset_new_password: {
    ru: "Новый пароль (не короче 8 символов)",
    en: "New password (8 characters or more)",
  },
  web_reset_submit: { ru: "Сохранить пароль", en: "Save the password" },
};
