// Texts of the web app (web/). Served to the browser by GET /api/i18n/:lang; keys start with web_.
import type { Catalogue } from "../index";

export const webMessages: Catalogue = {
  web_title: { ru: "Magic Master — мастеринг онлайн", en: "Magic Master — online mastering" },
  web_tagline: {
    ru: "Загрузите трек, выберите стиль или платформу — получите мастер, который точно попадает в громкость и true peak.",
    en: "Upload a track, pick a style or a platform — get a master that really hits its loudness and true-peak targets.",
  },
  web_file: {
    ru: "Аудиофайл (WAV, FLAC, MP3, M4A, OGG, AIFF)",
    en: "Audio file (WAV, FLAC, MP3, M4A, OGG, AIFF)",
  },
  web_style: { ru: "Стиль", en: "Style" },
  web_preset: { ru: "Платформа", en: "Platform" },
  web_preset_none: { ru: "— по стилю —", en: "— from the style —" },
  web_format: { ru: "Формат", en: "Format" },
  web_master: { ru: "Сделать мастер", en: "Master it" },
  web_analyze: { ru: "Только анализ", en: "Analyse only" },
  web_queued: {
    ru: "Задача #{id} в очереди, позиция {position}",
    en: "Task #{id} queued, position {position}",
  },
  web_running: { ru: "Задача #{id}: {stage} — {percent}%", en: "Task #{id}: {stage} — {percent}%" },
  web_done: { ru: "Задача #{id} готова", en: "Task #{id} is done" },
  web_failed: { ru: "Задача #{id} не выполнена: {reason}", en: "Task #{id} failed: {reason}" },
  web_cancelled: { ru: "Задача #{id} отменена", en: "Task #{id} was cancelled" },
  web_cancel: { ru: "Отменить", en: "Cancel" },
  web_download: { ru: "Скачать {name}", en: "Download {name}" },
  web_before: { ru: "До", en: "Before" },
  web_after: { ru: "После", en: "After" },
  web_loudness: { ru: "Громкость, LUFS", en: "Loudness, LUFS" },
  web_true_peak: { ru: "True peak, dBTP", en: "True peak, dBTP" },
  web_lra: { ru: "Диапазон громкости, LU", en: "Loudness range, LU" },
  web_duration: { ru: "Длительность, с", en: "Duration, s" },
  web_choose_file: { ru: "Сначала выберите файл.", en: "Choose a file first." },
  web_network_error: {
    ru: "Нет связи с сервером. Попробуйте ещё раз.",
    en: "Cannot reach the server. Please try again.",
  },
  web_status_link: { ru: "Состояние сервиса", en: "Service status" },
  web_nav_master: { ru: "Мастеринг", en: "Master" },
  web_nav_pricing: { ru: "Тарифы", en: "Pricing" },
  web_nav_account: { ru: "Кабинет", en: "Account" },
  web_sign_in: { ru: "Войти", en: "Sign in" },
  web_sign_out: { ru: "Выйти", en: "Sign out" },
};
