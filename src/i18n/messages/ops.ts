// Messages of the status page, health and the operator CLI (src/ops, src/cli).
import type { Catalogue } from "../index";

export const opsMessages: Catalogue = {
  status_title: { ru: "Magic Master — состояние сервиса", en: "Magic Master — service status" },
  status_ok: { ru: "Всё работает", en: "All systems operational" },
  status_degraded: { ru: "Есть проблемы", en: "Degraded" },
  status_version: { ru: "Версия", en: "Version" },
  status_uptime: { ru: "Работает с", en: "Up since" },
  status_database: { ru: "База данных", en: "Database" },
  status_disk: { ru: "Свободно на диске", en: "Free disk" },
  status_ffmpeg: { ru: "ffmpeg", en: "ffmpeg" },
  status_bot: { ru: "Telegram-бот", en: "Telegram bot" },
  status_jobs_running: { ru: "Задач в работе", en: "Jobs running" },
  status_jobs_queued: { ru: "Задач в очереди", en: "Jobs queued" },
  status_maintenance: { ru: "Режим обслуживания", en: "Maintenance mode" },
  status_refresh: {
    ru: "Страница обновляется каждые {seconds} с.",
    en: "This page refreshes every {seconds} s.",
  },
  status_value_ok: { ru: "в порядке", en: "ok" },
  status_value_error: { ru: "ошибка", en: "error" },
  status_value_low: { ru: "мало места", en: "low" },
  status_value_full: { ru: "место закончилось", en: "full" },
  status_value_busy: { ru: "занята другим процессом", en: "locked by another process" },
  status_value_unreadable: { ru: "не читается", en: "unreadable" },
  status_value_missing: { ru: "не найден", en: "missing" },
  status_value_running: { ru: "работает", en: "running" },
  status_value_disabled: { ru: "выключен", en: "disabled" },
  status_value_on: { ru: "включён", en: "on" },
  status_value_off: { ru: "выключен", en: "off" },
};
