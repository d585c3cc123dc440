// Messages shared by every edge: generic HTTP errors, config and CLI.
import type { Catalogue } from "../index";

export const commonMessages: Catalogue = {
  internal_error: {
    ru: "Внутренняя ошибка сервера. Попробуйте позже.",
    en: "Internal server error. Please try again later.",
  },
  error_unknown: { ru: "ошибка обработки ({code})", en: "processing error ({code})" },
  user_not_found: { ru: "Пользователь не найден: {ref}", en: "User not found: {ref}" },
  not_found: { ru: "Не найдено: {path}", en: "Not found: {path}" },
  method_not_allowed: { ru: "Метод не поддерживается.", en: "Method not allowed." },
  invalid_request: { ru: "Некорректный запрос: {details}", en: "Invalid request: {details}" },
  unauthorized: { ru: "Требуется авторизация.", en: "Authorization required." },
  forbidden: { ru: "Доступ запрещён.", en: "Access denied." },
  rate_limited: {
    ru: "Слишком много запросов. Повторите через {retry_after} с.",
    en: "Too many requests. Retry in {retry_after} s.",
  },
  maintenance: { ru: "Сервис на обслуживании. {message}", en: "The service is under maintenance. {message}" },
  database_busy: {
    ru: "База данных сейчас занята. Повторите через несколько секунд.",
    en: "The database is busy right now. Please retry in a few seconds.",
  },
  payload_too_large: { ru: "Тело запроса слишком большое.", en: "Request body too large." },
  body_too_large: {
    ru: "Тело запроса слишком большое (максимум {limit_mb} МБ).",
    en: "Request body too large (limit {limit_mb} MB).",
  },
  insufficient_storage: {
    ru: "На сервере сейчас не хватает места на диске, поэтому файл не принят. Попробуйте позже.",
    en: "The server is short of disk space right now, so the file was not accepted. Please try again later.",
  },
  feature_disabled: {
    ru: "Эта функция временно отключена оператором ({feature}). Попробуйте позже.",
    en: "This feature is switched off by the operator for now ({feature}). Please try later.",
  },
};
