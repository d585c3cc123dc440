// Messages of tier limits (MM_BILLING=on): each refusal names the limit, the tier and when it resets.
// `{resets}` is "YYYY-MM-DD HH:MM UTC"; the JSON error also carries `resets_at` (unix ms).
import type { Catalogue } from "../index";

export const limitsMessages: Catalogue = {
  limit_reached: {
    ru: "Лимит тарифа {tier} исчерпан: {used} из {limit} мастерингов за период. Следующий — после {resets}.",
    en: "The {tier} tier's limit is used up: {used} of {limit} masters this period. The next one after {resets}.",
  },
  daily_limit_reached: {
    ru: "Дневной лимит тарифа {tier} исчерпан: {used} из {limit} мастерингов сегодня. Следующий — после {resets}.",
    en: "The {tier} tier's daily cap is reached: {used} of {limit} masters today. The next one after {resets}.",
  },
  upload_too_large_for_tier: {
    ru: "Файл больше лимита тарифа {tier}: не более {limit_mb} МБ.",
    en: "The file is larger than the {tier} tier allows: at most {limit_mb} MB.",
  },
  tier_forbids_style: {
    ru: "Стиль «{style}» недоступен на тарифе {tier}. Доступны: {allowed}.",
    en: "The style “{style}” is not available on the {tier} tier. Available: {allowed}.",
  },
  tier_forbids_format: {
    ru: "Формат {format} недоступен на тарифе {tier}. Доступны: {allowed}.",
    en: "The format {format} is not available on the {tier} tier. Available: {allowed}.",
  },
  tier_forbids_module: {
    ru: "Модуль «{module}» недоступен на тарифе {tier}. Доступны: {allowed}.",
    en: "The module “{module}” is not available on the {tier} tier. Available: {allowed}.",
  },
  tier_forbids_batch: {
    ru: "Пакетная обработка недоступна на тарифе {tier}. Она есть в тарифах pro и studio.",
    en: "Batch processing is not available on the {tier} tier. It comes with pro and studio.",
  },
  batch_too_large_for_tier: {
    ru: "На тарифе {tier} в пакете не более {limit} файлов (прислано {count}).",
    en: "The {tier} tier allows at most {limit} files in a batch ({count} sent).",
  },
  tier_not_found: {
    ru: "Тариф «{tier}» не найден.",
    en: "No tier named “{tier}”.",
  },
  invalid_tier_field: {
    ru: "Неизвестное поле тарифа «{field}». Поля: {fields}. Формат: поле=значение.",
    en: "Unknown tier field “{field}”. Fields: {fields}. Form: field=value.",
  },
  invalid_tier_value: {
    ru: "Недопустимое значение «{value}» для {field}: ожидается {expected}.",
    en: "Invalid value “{value}” for {field}: expected {expected}.",
  },
};
