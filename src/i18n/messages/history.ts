// Messages of a user's own records: history and ledger pages, saved chain presets.
import type { Catalogue } from "../index";

export const historyMessages: Catalogue = {
  invalid_cursor: {
    ru: "Неверный курсор страницы. Возьмите next_cursor из предыдущего ответа.",
    en: "Invalid page cursor. Use next_cursor from the previous answer.",
  },
  preset_not_found: {
    ru: "Пресет не найден.",
    en: "Preset not found.",
  },
  preset_limit_reached: {
    ru: "Можно сохранить не больше {limit} пресетов. Удалите ненужный и повторите.",
    en: "At most {limit} presets can be saved. Delete one and retry.",
  },
  preset_name_taken: {
    ru: "Пресет с названием «{name}» уже есть.",
    en: "A preset named “{name}” already exists.",
  },
};
