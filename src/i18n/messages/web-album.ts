// Texts of the master page's second-wave options (issue 15: reference tracks, intensity, mix, album mode)
// and of the album page (web/album.html). Served with every web_* key by GET /api/i18n/:lang.
import type { Catalogue } from "../index";

export const webAlbumMessages: Catalogue = {
  web_mode_legend: { ru: "Что мастерим", en: "What to master" },
  web_mode_single: { ru: "Один трек", en: "One track" },
  web_mode_album: { ru: "Альбом (несколько треков)", en: "An album (several tracks)" },
  web_album_hint: {
    ru: "От {min} до {max} файлов: общая обработка, тихие треки остаются тише громких, самый громкий — на целевой громкости.",
    en: "{min} to {max} files: one shared chain, quiet tracks stay quieter than loud ones, the loudest lands on the target.",
  },
  web_album_drop_hint: {
    ru: "Перетащите сюда треки альбома или нажмите, чтобы выбрать несколько",
    en: "Drop the album's tracks here or click to choose several",
  },
  web_album_master: { ru: "Мастерить альбом", en: "Master the album" },
  web_album_not_in_tier: {
    ru: "Ваш тариф позволяет не больше {max} файлов за раз — альбом недоступен.",
    en: "Your plan allows at most {max} file(s) at once, so album mode is not available.",
  },
  web_album_tracks: { ru: "Треки альбома по порядку", en: "The album's tracks, in order" },
  web_album_up: { ru: "Поднять «{name}» выше", en: "Move “{name}” up" },
  web_album_down: { ru: "Опустить «{name}» ниже", en: "Move “{name}” down" },
  web_album_chosen: {
    ru: "Треков: {count} ({size}); нужно от {min} до {max}.",
    en: "{count} track(s) ({size}); {min} to {max} needed.",
  },
  web_album_too_many: {
    ru: "В альбоме может быть не больше {max} треков.",
    en: "An album takes at most {max} tracks.",
  },
  web_album_too_few: {
    ru: "Для альбома нужно хотя бы {min} трека (выбрано: {count}).",
    en: "An album needs at least {min} tracks ({count} chosen).",
  },
  web_album_over_remaining: {
    ru: "Треков {count}, а на вашем тарифе сейчас осталось мастеров: {left}.",
    en: "That is {count} tracks, and your plan has {left} master(s) left now.",
  },
  web_album_recent: { ru: "Ваши последние альбомы", en: "Your recent albums" },
  web_album_recent_item: { ru: "{name} и др. (треков: {count})", en: "{name} and more ({count} tracks)" },

  web_ref_legend: { ru: "Референс (необязательно)", en: "Reference (optional)" },
  web_ref_hint: {
    ru: "Трек, на который нужно быть похожим: подгоним тембр, громкость, ширину и динамику. До 3 файлов, с весами.",
    en: "A track yours should sound like: we match its tone, loudness, width and dynamics. Up to 3 files, weighted.",
  },
  web_ref_add: {
    ru: "Добавить референс: перетащите файл или нажмите",
    en: "Add a reference: drop a file or click",
  },
  web_ref_full: {
    ru: "Добавлено 3 референса — это максимум.",
    en: "3 references added, the most there can be.",
  },
  web_ref_item: { ru: "{name} ({size})", en: "{name} ({size})" },
  web_ref_weight: { ru: "Вес (1–10)", en: "Weight (1–10)" },
  web_ref_share: { ru: "= {percent} %", en: "= {percent} %" },
  web_ref_remove: { ru: "Убрать", en: "Remove" },
  web_ref_remove_named: { ru: "Убрать «{name}»", en: "Remove “{name}”" },
  web_ref_too_many: { ru: "Референсов может быть не больше {max}.", en: "At most {max} references." },
  web_match_legend: { ru: "Что подгонять", en: "What to match" },
  web_match_tone: { ru: "Тембр", en: "Tone" },
  web_match_loudness: { ru: "Громкость", en: "Loudness" },
  web_match_width: { ru: "Ширину стерео", en: "Stereo width" },
  web_match_dynamics: { ru: "Динамику", en: "Dynamics" },
  web_match_hint: {
    ru: "Потолок true peak соблюдается всегда; заданная вручную целевая громкость важнее громкости референса.",
    en: "The true-peak ceiling always holds; a custom target loudness wins over the reference's loudness.",
  },
  web_match_none: { ru: "Выберите хотя бы одно, что подгонять.", en: "Choose at least one thing to match." },

  web_intensity_legend: { ru: "Интенсивность", en: "Intensity" },
  web_intensity_low: { ru: "Мягко", en: "Low" },
  web_intensity_medium: { ru: "Средне", en: "Medium" },
  web_intensity_high: { ru: "Сильно", en: "High" },
  web_intensity_low_desc: {
    ru: "Меньше компрессии, сатурации и работы лимитера: больше динамики.",
    en: "Less compression, saturation and limiting: more dynamics kept.",
  },
  web_intensity_medium_desc: {
    ru: "Обработка стиля как задумана.",
    en: "The style's processing as designed.",
  },
  web_intensity_high_desc: {
    ru: "Плотнее: больше компрессии, сатурации и драйва лимитера, меньше динамического диапазона.",
    en: "Denser: more compression, saturation and limiter drive, a smaller dynamic range.",
  },
  web_mix: { ru: "Доля обработки (dry/wet)", en: "Processing amount (dry/wet)" },
  web_mix_hint: {
    ru: "Сколько обработанного сигнала подмешать к исходному до финальной громкости и лимитера; 100 % — только обработанный.",
    en: "How much of the processed signal is blended with the original before the final gain and limiter; 100 % is fully processed.",
  },
  web_stage_album: { ru: "разбор альбома", en: "analysing the album" },

  web_album_heading: { ru: "Альбом", en: "Album" },
  web_album_bad_link: { ru: "Ссылка на альбом неполная.", en: "This album link is incomplete." },
  web_album_col_track: { ru: "Трек", en: "Track" },
  web_album_col_state: { ru: "Состояние", en: "State" },
  web_album_col_links: { ru: "Результат", en: "Result" },
  web_album_queued: { ru: "в очереди, место {position}", en: "queued, place {position}" },
  web_album_running: { ru: "{stage} — {percent} %", en: "{stage} — {percent}%" },
  web_album_progress: {
    ru: "Готово треков: {done} из {total} — {percent} %",
    en: "{done} of {total} tracks done — {percent}%",
  },
  web_album_finished: {
    ru: "Альбом готов: треков {done} из {total}.",
    en: "The album is finished: {done} of {total} tracks.",
  },
  web_album_cancel: { ru: "Отменить оставшиеся треки", en: "Cancel the remaining tracks" },
  web_album_open: { ru: "Сравнить и отчёт", en: "Compare and report" },
  web_album_download_track: { ru: "Скачать", en: "Download" },
  web_album_zip: {
    ru: "Скачать все треки одним ZIP (с отчётом album.json)",
    en: "Download every track as one ZIP (with album.json)",
  },
  web_album_zip_only: {
    ru: "Ссылки на отдельные треки есть в браузере, из которого загружали альбом; здесь доступен ZIP.",
    en: "Per-track links live in the browser that uploaded the album; here the ZIP has every track.",
  },
  web_album_report: { ru: "Отчёт альбома", en: "Album report" },
  web_album_summary: {
    ru: "Стиль {style}; самый громкий трек — на {target} LUFS, потолок {ceiling} dBTP. Альбом целиком: {before} → {after} LUFS.",
    en: "Style {style}; the loudest track at {target} LUFS, ceiling {ceiling} dBTP. The album as a whole: {before} → {after} LUFS.",
  },
  web_album_ok: {
    ru: "В норме: относительная громкость треков сохранена (отклонение до {error} LU), самый громкий отклонился на {loudest} LU, true peak до {tp} dBTP.",
    en: "Within spec: the tracks' relative loudness is kept (within {error} LU), the loudest is {loudest} LU off target, true peak up to {tp} dBTP.",
  },
  web_album_not_ok: {
    ru: "Не всё в норме: отклонение относительной громкости до {error} LU, самый громкий — {loudest} LU от цели, true peak до {tp} dBTP (или не все треки готовы).",
    en: "Not all within spec: relative loudness moved up to {error} LU, the loudest is {loudest} LU off target, true peak up to {tp} dBTP (or not every track finished).",
  },
  web_album_chart: {
    ru: "Громкость треков до и после, LUFS",
    en: "Loudness per track before and after, LUFS",
  },
  web_album_numbers: {
    ru: "Треки альбома: измерено на готовых файлах",
    en: "The album's tracks, measured on the delivered files",
  },
  web_album_col_before: { ru: "До, LUFS", en: "Before, LUFS" },
  web_album_col_after: { ru: "После, LUFS", en: "After, LUFS" },
  web_album_col_offset_before: { ru: "От громкого до, LU", en: "From loudest before, LU" },
  web_album_col_offset_after: { ru: "От громкого после, LU", en: "From loudest after, LU" },
  web_album_col_tp: { ru: "True peak, dBTP", en: "True peak, dBTP" },
  web_album_col_lra: { ru: "LRA, LU", en: "LRA, LU" },

  web_refrep_heading: { ru: "Подгонка под референс", en: "Reference match" },
  web_refrep_matched: { ru: "Подогнано: {list}.", en: "Matched: {list}." },
  web_refrep_weights: { ru: "Веса референсов: {list}.", en: "Reference weights: {list}." },
  web_refrep_table: {
    ru: "Что сделано и сколько осталось до референса (измерено на готовом файле)",
    en: "What was applied and how far the delivered file still is from the reference",
  },
  web_refrep_aspect: { ru: "Что", en: "Aspect" },
  web_refrep_applied: { ru: "Сделано", en: "Applied" },
  web_refrep_residual: { ru: "Остаток", en: "Residual" },
  web_refrep_eq: {
    ru: "корректирующий EQ, сильнее всего {db} дБ на {hz} Гц",
    en: "corrective EQ, at most {db} dB at {hz} Hz",
  },
  web_refrep_db_rms: { ru: "{db} дБ СКО (60 Гц–12 кГц)", en: "{db} dB RMS (60 Hz–12 kHz)" },
  web_refrep_loudness: {
    ru: "референс {reference} LUFS, цель {target}, итог {output} LUFS",
    en: "reference {reference} LUFS, target {target}, result {output} LUFS",
  },
  web_refrep_lu: { ru: "{lu} LU", en: "{lu} LU" },
  web_refrep_width: { ru: "сторона (S) ×{factor}", en: "side (S) ×{factor}" },
  web_refrep_db: { ru: "{db} дБ", en: "{db} dB" },
  web_refrep_dynamics: {
    ru: "разброс {input} LU, у референса {reference} LU → компрессия ×{scale}",
    en: "spread {input} LU, reference {reference} LU → compression ×{scale}",
  },
  web_refrep_curve: { ru: "Корректирующий EQ по референсу, дБ", en: "Corrective EQ from the reference, dB" },
  web_chg_table: { ru: "Что изменилось, в цифрах", en: "What changed, in numbers" },
  web_chg_intensity: { ru: "Интенсивность", en: "Intensity" },
  web_chg_mix: { ru: "Доля обработки", en: "Processing amount" },
  web_chg_eq: { ru: "EQ стиля, дБ", en: "Style EQ, dB" },
  web_chg_compression: { ru: "Компрессия (подавление)", en: "Compression (gain reduction)" },
  web_chg_saturation: { ru: "Сатурация", en: "Saturation" },
  web_chg_width: { ru: "Ширина (корреляция)", en: "Width (correlation)" },
  web_chg_limiter: { ru: "Лимитер", en: "Limiter" },
  web_chg_limiter_value: {
    ru: "подавление до {max} дБ, в среднем {mean} дБ",
    en: "up to {max} dB, mean {mean} dB of gain reduction",
  },
  web_chg_gain: { ru: "Итоговое усиление", en: "Final gain" },

  web_album_back: { ru: "← К альбому", en: "← Back to the album" },
};
