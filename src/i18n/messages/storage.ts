// Messages of the file store (data folder or bucket) and of node roles (src/files/store, serve --role).
import type { Catalogue } from "../index";

export const storageMessages: Catalogue = {
  storage_unavailable: {
    ru: "Хранилище файлов сейчас недоступно. Попробуйте позже — деньги за задачу не списаны.",
    en: "File storage is unavailable right now. Please try again later — nothing was charged.",
  },
  role_not_served: {
    ru: "Этот узел не принимает запросы API (его роли: {roles}).",
    en: "This node does not serve the API (its roles: {roles}).",
  },
};
