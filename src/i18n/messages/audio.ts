// Messages of the audio engine's errors (src/audio). Owned by the audio engine.
// Keys are AppError codes thrown by src/audio, plus the per-platform analysis verdicts.
import type { Catalogue } from "../index";

export const audioMessages: Catalogue = {
  audio_silent: {
    ru: "Файл беззвучный: в нём нечего мастерить.",
    en: "The file is silent: there is nothing to master.",
  },
  audio_too_short: {
    ru: "Файл слишком короткий: нужно не меньше {min_ms} мс звука, чтобы измерить громкость.",
    en: "The file is too short: at least {min_ms} ms of audio is needed to measure loudness.",
  },
  audio_unreadable: {
    ru: "Не удалось прочитать аудио: файл повреждён или это не аудиофайл.",
    en: "Could not read the audio: the file is damaged or is not an audio file.",
  },
  audio_file_missing: { ru: "Файл не найден: {file}", en: "File not found: {file}" },
  no_audio_stream: { ru: "В файле нет звуковой дорожки.", en: "The file has no audio stream." },
  invalid_settings: {
    ru: "Неверные настройки мастеринга: {details}",
    en: "Invalid mastering settings: {details}",
  },
  ffmpeg_failed: {
    ru: "Обработка звука завершилась ошибкой. Попробуйте другой файл или повторите позже.",
    en: "Audio processing failed. Try another file or try again later.",
  },
  ffmpeg_missing: {
    ru: "На сервере не найден ffmpeg ({tool}). Сообщите администратору.",
    en: "ffmpeg ({tool}) was not found on the server. Please tell the administrator.",
  },
  cancelled: { ru: "Обработка отменена.", en: "Processing was cancelled." },
  timeout: {
    ru: "Обработка заняла слишком много времени и была остановлена.",
    en: "Processing took too long and was stopped.",
  },
  audio_platform_down: {
    ru: "{platform} сделает трек тише на {db} дБ",
    en: "{platform} will turn this down {db} dB",
  },
  audio_platform_up: {
    ru: "{platform} сделает трек громче на {db} дБ",
    en: "{platform} will turn this up {db} dB",
  },
  audio_platform_ok: {
    ru: "{platform} воспроизведёт трек без изменений",
    en: "{platform} will play this as it is",
  },
};
