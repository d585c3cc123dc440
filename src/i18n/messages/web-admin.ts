// Texts of the admin panel (web/admin/). Keys start with webadmin_ and are served only to admins by
// GET /api/admin/i18n/:lang (the public /api/i18n bundle carries web_* keys only).
import type { Catalogue } from "../index";

export const webAdminMessages: Catalogue = {
  webadmin_title: { ru: "Magic Master · админка", en: "Magic Master · admin" },
  webadmin_nav_dashboard: { ru: "Сводка", en: "Dashboard" },
  webadmin_nav_users: { ru: "Пользователи", en: "Users" },
  webadmin_nav_payments: { ru: "Платежи", en: "Payments" },
  webadmin_nav_jobs: { ru: "Задачи", en: "Jobs" },
  webadmin_nav_settings: { ru: "Настройки", en: "Settings" },
  webadmin_nav_backups: { ru: "Бэкапы", en: "Backups" },
  webadmin_nav_audit: { ru: "Журнал действий", en: "Audit log" },
  webadmin_to_site: { ru: "На сайт", en: "To the site" },
  webadmin_nothing: { ru: "Ничего не найдено", en: "Nothing found" },
  webadmin_pages: { ru: "Страницы", en: "Pages" },
  webadmin_page_of: { ru: "{from}–{to} из {total}", en: "{from}–{to} of {total}" },
  webadmin_search: { ru: "Найти", en: "Search" },
  webadmin_apply: { ru: "Применить", en: "Apply" },
  webadmin_save: { ru: "Сохранить", en: "Save" },
  webadmin_any: { ru: "любой", en: "any" },
  webadmin_yes: { ru: "да", en: "yes" },
  webadmin_no: { ru: "нет", en: "no" },
  webadmin_reason: { ru: "Причина", en: "Reason" },
  webadmin_export_csv: { ru: "Выгрузить CSV", en: "Export CSV" },
  webadmin_done: { ru: "Готово.", en: "Done." },
};
