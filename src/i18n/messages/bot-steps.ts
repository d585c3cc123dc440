// The bot's second-wave steps (issue 15): intensity, reference tracks, album mode, and the limits of a
// self-hosted (local) Bot API server. Keys start with bot_.
import type { Catalogue } from "../index";

export const botStepMessages: Catalogue = {
  // Limits
  bot_file_too_big: {
    ru: "«{name}» весит {mb} МБ, а бот принимает файлы до {limit} МБ. Загрузите его на сайте: {link}",
    en: "“{name}” is {mb} MB, but the bot takes files up to {limit} MB. Please upload it on the website: {link}",
  },
  bot_group_not_taken: {
    ru: "⚠️ «{name}» не принят вместе с остальными: см. сообщение о «{first}».",
    en: "⚠️ “{name}” was not taken with the others: see the message about “{first}”.",
  },

  // Intensity
  bot_btn_intensity: { ru: "🎚 Интенсивность: {level} ▸", en: "🎚 Intensity: {level} ▸" },
  bot_intensity_low: { ru: "мягкая", en: "low" },
  bot_intensity_medium: { ru: "средняя", en: "medium" },
  bot_intensity_high: { ru: "сильная", en: "high" },
  bot_intensity_btn_low: { ru: "🌿 Мягкая — больше динамики", en: "🌿 Low — more dynamics" },
  bot_intensity_btn_medium: { ru: "⚖️ Средняя (по умолчанию)", en: "⚖️ Medium (default)" },
  bot_intensity_btn_high: { ru: "🔥 Сильная — плотно и громко", en: "🔥 High — dense and loud" },
  bot_choose_intensity: {
    ru: "🎚 «{name}»: насколько сильно обрабатывать? Мягкая — лёгкая компрессия и лимитер, сильная — плотнее, с сатурацией. Цель по громкости выдерживается на любой.",
    en: "🎚 “{name}”: how hard should it push? Low: gentle compression and limiting; high: denser, with saturation. Every level meets the loudness target.",
  },

  // Reference tracks
  bot_btn_reference_none: { ru: "🎯 Референс: нет ▸", en: "🎯 Reference: none ▸" },
  bot_btn_reference_set: { ru: "🎯 Референс: {count} ▸", en: "🎯 Reference: {count} ▸" },
  bot_reference_step: {
    ru: "🎯 «{name}»: пришлите трек-референс файлом (до {max}) — мастер подстроится под его звучание. Ниже — что совпадать (по умолчанию всё); пик по-прежнему не выше потолка.\nРеференсы: {list}",
    en: "🎯 “{name}”: send a reference track as a file (up to {max}) and the master will match its sound. Below: what to match (all by default); the peak still stays under the ceiling.\nReferences: {list}",
  },
  bot_reference_list_empty: { ru: "пока нет", en: "none yet" },
  bot_reference_full: {
    ru: "Уже {max} референса — больше не нужно. Нажмите «Готово» или очистите список.",
    en: "That's {max} references already — the most it takes. Press “Done” or clear the list.",
  },
  bot_match_tone: { ru: "тембр", en: "tone" },
  bot_match_loudness: { ru: "громкость", en: "loudness" },
  bot_match_width: { ru: "ширина", en: "width" },
  bot_match_dynamics: { ru: "динамика", en: "dynamics" },
  bot_match_on: { ru: "✓ {aspect}", en: "✓ {aspect}" },
  bot_match_off: { ru: "✗ {aspect}", en: "✗ {aspect}" },
  bot_match_needs_one: {
    ru: "Нужен хотя бы один аспект совпадения.",
    en: "At least one aspect must be matched.",
  },
  bot_btn_reference_clear: { ru: "🗑 Убрать референсы", en: "🗑 Clear references" },
  bot_btn_done: { ru: "✅ Готово", en: "✅ Done" },
  bot_caption_settings: {
    ru: "🎚 Интенсивность: {intensity}{reference}",
    en: "🎚 Intensity: {intensity}{reference}",
  },
  bot_caption_reference: {
    ru: " · 🎯 по референсу ({aspects})",
    en: " · 🎯 matched to reference ({aspects})",
  },

  // Album mode
  bot_group_received: {
    ru: "💿 Получено файлов: {count}\n{list}\n\nАльбом — общая обработка, тихие треки остаются тише, самый громкий — на целевой громкости. Или каждый трек отдельно с одинаковыми настройками. Можно прислать ещё (до {max}).",
    en: "💿 Files received: {count}\n{list}\n\nAn album shares one chain: quiet tracks stay quieter, the loudest hits the target. Or each track on its own with the same settings. You can send more (up to {max}).",
  },
  bot_btn_album: { ru: "💿 Мастерить альбомом", en: "💿 Master as an album" },
  bot_btn_each: { ru: "📄 Каждый отдельно", en: "📄 Each on its own" },
  bot_group_full: {
    ru: "В одной группе не больше {max} файлов — «{name}» не добавлен.",
    en: "A group takes at most {max} files — “{name}” was not added.",
  },
  bot_choose_style_group: {
    ru: "🎚 {kind} из {count} треков: выберите стиль мастеринга.",
    en: "🎚 {kind} of {count} tracks: choose a mastering style.",
  },
  bot_group_album: { ru: "Альбом", en: "Album" },
  bot_group_each: { ru: "Пакет", en: "Batch" },
  bot_group_name: { ru: "{kind}, {count} треков", en: "{kind}, {count} tracks" },
  bot_album_report_title: {
    ru: "💿 Альбом готов: {done} из {count} треков.",
    en: "💿 Album done: {done} of {count} tracks.",
  },
  bot_album_report_line: {
    ru: "• #{id} «{name}»: {before} → {after} LUFS ({offset} LU от самого громкого), пик {tp} dBTP",
    en: "• #{id} “{name}”: {before} → {after} LUFS ({offset} LU from the loudest), peak {tp} dBTP",
  },
  bot_album_report_failed_line: {
    ru: "• #{id} «{name}»: {status}",
    en: "• #{id} “{name}”: {status}",
  },
  bot_album_report_zip: {
    ru: "📦 Все треки и отчёт одним ZIP: {link}",
    en: "📦 Every track and the report as one ZIP: {link}",
  },
};
