// Messages of the job system, uploads and the mastering HTTP API (src/jobs, src/files, src/http/routes).
import type { Catalogue } from "../index";

export const jobsMessages: Catalogue = {
  job_not_found: { ru: "Задача {id} не найдена.", en: "Task {id} not found." },
  queue_limit_reached: {
    ru: "В очереди уже {limit} ваших задач — это максимум. Дождитесь, пока какие-то из них начнут выполняться.",
    en: "You already have {limit} tasks waiting in the queue, the maximum. Wait until some of them start.",
  },
  job_already_finished: {
    ru: "Задача {id} уже завершена ({status}).",
    en: "Task {id} has already finished ({status}).",
  },
  job_not_ready: {
    ru: "Результат задачи {id} ещё не готов ({status}).",
    en: "The result of task {id} is not ready yet ({status}).",
  },
  job_failed: { ru: "Задача {id} завершилась ошибкой: {reason}.", en: "Task {id} failed: {reason}." },
  job_no_result: { ru: "У задачи {id} нет файла результата.", en: "Task {id} has no result file." },
  result_expired: {
    ru: "Срок хранения результата задачи {id} истёк. Запустите мастеринг заново.",
    en: "The result of task {id} has expired. Please master the file again.",
  },
  invalid_job_token: {
    ru: "Неверная или отсутствующая ссылка доступа к задаче.",
    en: "Missing or wrong access token for this task.",
  },
  insufficient_tokens: {
    ru: "Недостаточно токенов: нужно {cost}, на балансе {balance}.",
    en: "Not enough tokens: {cost} needed, balance {balance}.",
  },
  invalid_amount: {
    ru: "Количество токенов должно быть целым положительным числом (получено {amount}).",
    en: "The number of tokens must be a positive whole number (got {amount}).",
  },
  interrupted: {
    ru: "Задача прерывалась слишком много раз.",
    en: "The task was interrupted too many times.",
  },
  file_too_large: {
    ru: "Файл слишком большой (максимум {limit_mb} МБ для этого формата).",
    en: "File too large (limit {limit_mb} MB for this format).",
  },
  unsupported_format: {
    ru: "Формат файла не поддерживается. Загрузите WAV, AIFF, FLAC, MP3, M4A или OGG.",
    en: "Unsupported file format. Upload WAV, AIFF, FLAC, MP3, M4A or OGG.",
  },
  empty_file: { ru: "Файл пустой.", en: "The file is empty." },
  audio_truncated: {
    ru: "Файл обрезан или повреждён: заголовок обещает больше данных, чем в нём есть.",
    en: "The file is truncated or damaged: its header claims more data than it holds.",
  },
  multipart_required: {
    ru: "Отправьте файл как multipart/form-data.",
    en: "Send the file as multipart/form-data.",
  },
  multipart_malformed: { ru: "Повреждённый multipart-запрос.", en: "Malformed multipart request." },
  upload_aborted: { ru: "Загрузка прервана.", en: "The upload was interrupted." },
  no_file: { ru: "Прикрепите аудиофайл в поле «file».", en: 'Attach an audio file in the "file" field.' },
  too_many_files: { ru: "Слишком много файлов (максимум {max}).", en: "Too many files (at most {max})." },
  unexpected_file: { ru: "Неожиданный файл в поле «{field}».", en: 'Unexpected file in field "{field}".' },
  field_too_large: { ru: "Поле «{field}» слишком длинное.", en: 'Field "{field}" is too long.' },
  invalid_settings_json: {
    ru: "Настройки должны быть корректным JSON-объектом.",
    en: "Settings must be a valid JSON object.",
  },
  measure_pending: {
    ru: "Анализ ещё идёт; следите за задачей {id}.",
    en: "The analysis is still running; follow task {id}.",
  },
  job_state_queued: { ru: "в очереди", en: "queued" },
  job_state_running: { ru: "в работе", en: "running" },
  job_state_done: { ru: "готово", en: "done" },
  job_state_failed: { ru: "ошибка", en: "failed" },
  job_state_cancelled: { ru: "отменено", en: "cancelled" },
  job_state_expired: { ru: "срок хранения истёк", en: "expired" },
};
