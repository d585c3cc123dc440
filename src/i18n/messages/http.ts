// Messages of the HTTP edge's hygiene rules: origin check, per-IP stream/upload caps, stalled uploads.
import type { Catalogue } from "../index";

export const httpMessages: Catalogue = {
  origin_not_allowed: {
    ru: "Запрос с чужого сайта ({origin}) отклонён. Откройте сервис по его собственному адресу.",
    en: "A request from another site ({origin}) was refused. Open the service at its own address.",
  },
  too_many_streams: {
    ru: "Слишком много открытых потоков прогресса с вашего адреса (максимум {max}). Закройте лишние вкладки и повторите через {retry_after} с.",
    en: "Too many open progress streams from your address (at most {max}). Close some tabs and retry in {retry_after} s.",
  },
  too_many_uploads: {
    ru: "Слишком много одновременных загрузок с вашего адреса (максимум {max}). Повторите через {retry_after} с.",
    en: "Too many simultaneous uploads from your address (at most {max}). Retry in {retry_after} s.",
  },
  upload_too_slow: {
    ru: "Загрузка остановлена: данные поступали медленнее {min_kbps} КБ/с в течение {window_s} с. Проверьте соединение и попробуйте снова.",
    en: "Upload stopped: data arrived slower than {min_kbps} KB/s for {window_s} s. Check your connection and try again.",
  },
  shutting_down: {
    ru: "Сервис перезапускается, загрузка прервана. Повторите через минуту.",
    en: "The service is restarting and the upload was interrupted. Please retry in a minute.",
  },
};
