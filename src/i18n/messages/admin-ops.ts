// Error texts of the admin panel's operations routes (jobs, settings, backups, tests of mail/Telegram).
import type { Catalogue } from "../index";

export const adminOpsMessages: Catalogue = {
  job_not_retryable: {
    ru: "Задачу {id} нельзя повторить: её статус {status} (повторяются только упавшие и отменённые).",
    en: "Job {id} cannot be retried: it is {status} (only failed and cancelled jobs can be).",
  },
  job_input_gone: {
    ru: "Исходный файл задачи {id} уже удалён — повторить нельзя (его хранит MM_FAILED_INPUT_KEEP_H).",
    en: "The upload of job {id} is gone, so it cannot be retried (MM_FAILED_INPUT_KEEP_H keeps it).",
  },
  setting_unknown: { ru: "Нет такой настройки: {key}.", en: "No such setting: {key}." },
  setting_invalid: { ru: "Недопустимое значение {key}: {reason}.", en: "Invalid value of {key}: {reason}." },
  flag_unknown: { ru: "Нет такого флага: {name}.", en: "No such feature flag: {name}." },
  backup_not_found: { ru: "Нет такого бэкапа: {name}.", en: "No such backup: {name}." },
  backup_failed: { ru: "Бэкап не удался: {error}.", en: "The backup failed: {error}." },
  backup_postgres: {
    ru: "База данных — Postgres: её бэкап делается средствами Postgres ({command}), не здесь.",
    en: "The database is Postgres: back it up with Postgres's own tools ({command}), not here.",
  },
  test_mail_not_configured: {
    ru: "SMTP не настроен (smtp_url): письмо ушло бы только в лог.",
    en: "SMTP is not configured (smtp_url): the mail would only go to the log.",
  },
  test_mail_failed: { ru: "Письмо не отправлено: {error}.", en: "The mail was not sent: {error}." },
  test_telegram_not_configured: {
    ru: "Нет токена бота или чата админов (admin_chat_id).",
    en: "No bot token or admin chat (admin_chat_id).",
  },
  test_telegram_failed: {
    ru: "Telegram не принял сообщение (подробности в логе, событие notify_failed).",
    en: "Telegram did not take the message (see the log, event notify_failed).",
  },
  admin_test_mail_subject: { ru: "Magic Master: тестовое письмо", en: "Magic Master: test mail" },
  admin_test_mail_text: {
    ru: "Это тестовое письмо из админки Magic Master ({by}). Если вы его читаете, почта работает.",
    en: "This is a test mail from the Magic Master admin panel ({by}). If you can read it, mail works.",
  },
  admin_test_telegram_text: {
    ru: "Тестовое сообщение из админки Magic Master ({by}).",
    en: "Test message from the Magic Master admin panel ({by}).",
  },
};
