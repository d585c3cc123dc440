// Messages of the scheduler, admin alerts, feature flags, maintenance mode and the admin HTTP API
// (src/scheduler, src/settings, src/http/routes/admin.ts). Alert texts go to the admin Telegram chat.
import type { Catalogue } from "../index";

export const schedulerMessages: Catalogue = {
  invalid_flag_name: {
    ru: "Недопустимое имя флага «{name}»: латиница в нижнем регистре, цифры и «_».",
    en: 'Invalid flag name "{name}": use lower-case letters, digits and "_".',
  },
  maintenance_message_too_long: {
    ru: "Сообщение об обслуживании слишком длинное (максимум {max} символов).",
    en: "The maintenance message is too long (at most {max} characters).",
  },
  maintenance_default_message: {
    ru: "Приём новых задач временно приостановлен. Попробуйте позже.",
    en: "New tasks are paused for a while. Please try again later.",
  },
  unknown_task: { ru: "Неизвестная задача планировщика «{name}».", en: 'Unknown scheduler task "{name}".' },
  task_busy: { ru: "Задача «{name}» уже выполняется.", en: 'Task "{name}" is already running.' },
  alert_queue_high: {
    ru: "⚠️ Очередь переполнена: {queued} задач (порог {limit}).",
    en: "⚠️ Queue is long: {queued} jobs waiting (threshold {limit}).",
  },
  alert_queue_high_recovered: {
    ru: "✅ Очередь в норме: {queued} задач.",
    en: "✅ Queue back to normal: {queued} jobs waiting.",
  },
  alert_disk_low: {
    ru: "⚠️ Мало места на диске: свободно {free_mb} МБ (порог {limit_mb} МБ).",
    en: "⚠️ Disk almost full: {free_mb} MB free (threshold {limit_mb} MB).",
  },
  alert_disk_low_recovered: {
    ru: "✅ Место на диске в норме: свободно {free_mb} МБ.",
    en: "✅ Disk space back to normal: {free_mb} MB free.",
  },
  alert_failure_rate: {
    ru: "⚠️ Много ошибок: {failed} из {finished} задач за 15 мин ({percent}%, порог {limit}%).",
    en: "⚠️ Many failures: {failed} of {finished} jobs in 15 min ({percent}%, threshold {limit}%).",
  },
  alert_failure_rate_recovered: {
    ru: "✅ Ошибки в норме: {failed} из {finished} задач за 15 мин.",
    en: "✅ Failure rate back to normal: {failed} of {finished} jobs in 15 min.",
  },
  alert_backup_failed: {
    ru: "❌ Резервная копия БД не создана: {error}",
    en: "❌ Database backup failed: {error}",
  },
};
