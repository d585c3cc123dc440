// Error texts of the admin panel's API (codes = keys), in the caller's language like every error.
import type { Catalogue } from "../index";

export const adminMessages: Catalogue = {
  expiry_in_past: {
    ru: "Срок тарифа должен быть в будущем.",
    en: "The tier's expiry must be in the future.",
  },
  user_already_deleted: { ru: "Пользователь {ref} уже удалён.", en: "User {ref} is already deleted." },
  delete_confirm_mismatch: {
    ru: "Для удаления введите номер пользователя ({id}).",
    en: "To delete, type the user's id ({id}).",
  },
  adjustment_ref_conflict: {
    ru: "Ключ операции {ref} уже использован для другого изменения.",
    en: "The operation key {ref} was already used for another adjustment.",
  },
};
