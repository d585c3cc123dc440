// The admin panel's tiers and plans editors (issue 14 point 6): webadmin_* texts of /admin/tiers and
// /admin/plans (served only to admins by GET /api/admin/i18n/:lang) and the editors' error codes.
import type { Catalogue } from "../index";

export const webAdminPricingMessages: Catalogue = {
  plan_exists: { ru: "Тариф «{plan}» уже есть.", en: "Plan “{plan}” already exists." },
  webadmin_nav_tiers: { ru: "Уровни", en: "Tiers" },
  webadmin_nav_plans: { ru: "Тарифы и цены", en: "Plans and prices" },
  webadmin_settings_sub: { ru: "Разделы настроек", en: "Settings sections" },
  webadmin_nav_runtime: { ru: "Общие", en: "General" },
  webadmin_tiers_hint: {
    ru: "Лимиты применяются к следующей отправке, без перезапуска. Число или «unlimited»; списки — «all», «none» или через запятую. Сохраняются только изменённые поля, одной записью журнала.",
    en: "Limits apply to the next submission, no restart. A number or “unlimited”; lists are “all”, “none” or comma separated. Only the fields you changed are saved, as one audit entry.",
  },
  webadmin_plans_hint: {
    ru: "Цена в рублях (990 или 990.00). Изменение цены не меняет уже созданные заказы: заказ хранит цену на момент покупки. Тариф не удаляют — его выключают.",
    en: "Price in roubles (990 or 990.00). A price change never alters an order that exists: an order keeps the price it was created with. Plans are switched off, not deleted.",
  },
  webadmin_tier_field: { ru: "Поле", en: "Field" },
  webadmin_tier_saved: { ru: "Сохранено: уровень {name}", en: "Saved: tier {name}" },
  webadmin_plan_saved: { ru: "Сохранено: тариф {key}", en: "Saved: plan {key}" },
  webadmin_plan_added: { ru: "Добавлен тариф {key}", en: "Plan {key} added" },
  webadmin_no_changes: {
    ru: "Нечего сохранять: ничего не изменено.",
    en: "Nothing to save: nothing changed.",
  },
  webadmin_plan_new: { ru: "Новый тариф", en: "New plan" },
  webadmin_plan_add: { ru: "Добавить тариф", en: "Add plan" },
  webadmin_col_key: { ru: "Ключ", en: "Key" },
  webadmin_col_plan_tier: { ru: "Уровень", en: "Tier" },
  webadmin_col_price: { ru: "Цена, ₽", en: "Price, ₽" },
  webadmin_col_tokens: { ru: "Токены", en: "Tokens" },
  webadmin_col_period_days: { ru: "Дней", en: "Days" },
  webadmin_col_stars: { ru: "Stars", en: "Stars" },
  webadmin_col_label_ru: { ru: "Название (RU)", en: "Label (RU)" },
  webadmin_col_label_en: { ru: "Название (EN)", en: "Label (EN)" },
  webadmin_col_active: { ru: "В продаже", en: "On sale" },
  webadmin_col_sort: { ru: "Порядок", en: "Order" },
  webadmin_col_actions: { ru: "Действия", en: "Actions" },
  webadmin_kind_tokens: { ru: "пакет токенов", en: "token pack" },
  webadmin_kind_tier: { ru: "подписка", en: "subscription" },
  webadmin_on: { ru: "да", en: "yes" },
  webadmin_off: { ru: "нет", en: "no" },
};
