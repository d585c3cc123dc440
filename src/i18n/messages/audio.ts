// Messages of the audio engine's errors (src/audio). Owned by the audio engine.
// Keys are AppError codes thrown by src/audio, plus the per-platform analysis verdicts.
import type { Catalogue } from "../index";

export const audioMessages: Catalogue = {
  audio_silent: {
    ru: "Файл беззвучный: в нём нечего мастерить.",
    en: "The file is silent: there is nothing to master.",
  },
  reference_unusable: {
    ru: "Референс №{index} не подходит: в нём нет измеримого звука.",
    en: "Reference #{index} cannot be used: it has no measurable audio.",
  },
  too_many_references: {
    ru: "Слишком много референсов: не больше {max}.",
    en: "Too many references: at most {max}.",
  },
  audio_too_short: {
    ru: "Файл слишком короткий: нужно не меньше {min_ms} мс звука, чтобы измерить громкость.",
    en: "The file is too short: at least {min_ms} ms of audio is needed to measure loudness.",
  },
  audio_unreadable: {
    ru: "Не удалось прочитать аудио: файл повреждён или это не аудиофайл.",
    en: "Could not read the audio: the file is damaged or is not an audio file.",
  },
  audio_too_long: {
    ru: "Файл слишком длинный: {duration_min} мин, а можно не больше {max_min} мин.",
    en: "The file is too long: {duration_min} min, the limit is {max_min} min.",
  },
  sample_rate_unsupported: {
    ru: "Частота дискретизации {rate} Гц не поддерживается: максимум {max_hz} Гц.",
    en: "A sample rate of {rate} Hz is not supported: the maximum is {max_hz} Hz.",
  },
  too_many_channels: {
    ru: "Слишком много каналов: в файле {channels}, а можно не больше {max} (для мастеринга — моно или стерео).",
    en: "Too many channels: the file has {channels}, at most {max} are accepted (mono or stereo for mastering).",
  },
  // No placeholders: a job stores only its error code, and this one is raised while the job runs.
  audio_decodes_longer: {
    ru: "В файле больше звука, чем указано в его заголовке: файл повреждён или подделан, обработка остановлена.",
    en: "The file holds more audio than its header says: it is damaged or forged, so processing was stopped.",
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
  // Per-platform playback (src/audio/playback.ts): one message per verdict, and a one-line summary.
  audio_platforms_brief: { ru: "Платформы, дБ: {list}", en: "Platforms, dB: {list}" },
  audio_platform_ok: {
    ru: "{platform}: без изменений, играет на {lufs} LUFS",
    en: "{platform}: unchanged, plays at {lufs} LUFS",
  },
  audio_platform_turned_down: {
    ru: "{platform}: тише на {db} дБ → {lufs} LUFS, пик {tp} dBTP",
    en: "{platform}: turned down {db} dB → {lufs} LUFS, peak {tp} dBTP",
  },
  audio_platform_turned_up: {
    ru: "{platform}: громче на {db} дБ → {lufs} LUFS, пик {tp} dBTP",
    en: "{platform}: turned up {db} dB → {lufs} LUFS, peak {tp} dBTP",
  },
  audio_platform_turned_up_partly: {
    ru: "{platform}: громче только на {db} дБ (мешает пик) → {lufs} LUFS вместо {target}",
    en: "{platform}: turned up only {db} dB (peak headroom) → {lufs} LUFS instead of {target}",
  },
  audio_platform_quieter: {
    ru: "{platform}: не поднимает тихие треки, играет на {lufs} LUFS (тише цели {target})",
    en: "{platform}: does not turn quiet tracks up, plays at {lufs} LUFS (below its {target})",
  },
  audio_platform_limited: {
    ru: "{platform}: громче на {db} дБ через лимитер плеера → {lufs} LUFS, пики срезаны до {tp}",
    en: "{platform}: turned up {db} dB into the player's limiter → {lufs} LUFS, peaks held at {tp}",
  },
  audio_platform_peak_risk: {
    ru: "{platform}: риск искажений при кодировании — пик {file_tp} dBTP выше рекомендуемых {max_tp}",
    en: "{platform}: encoding distortion risk — peak {file_tp} dBTP is above the advised {max_tp}",
  },
  audio_platform_not_normalized: {
    ru: "{platform}: не нормализует громкость, играет как есть ({lufs} LUFS)",
    en: "{platform}: no loudness normalisation, plays as delivered ({lufs} LUFS)",
  },
  audio_platform_compliant: {
    ru: "{platform}: соответствует ({file_lufs} LUFS, пик {file_tp} dBTP)",
    en: "{platform}: compliant ({file_lufs} LUFS, peak {file_tp} dBTP)",
  },
  audio_platform_not_compliant: {
    ru: "{platform}: не соответствует ({target} ±{tolerance} LU, пик ≤ {max_tp}); поправка {gain} дБ",
    en: "{platform}: not compliant ({target} ±{tolerance} LU, peak ≤ {max_tp}); correction {gain} dB",
  },
  // "What changed" report of a master (src/audio/changes.ts), one line per stage.
  audio_changed_title: { ru: "Что изменилось:", en: "What changed:" },
  audio_changed_eq: {
    ru: "EQ, дБ: саб {sub}, бас {bass}, середина {mids}, присутствие {presence}, воздух {air}; кривая: 300 Гц {mud}, 3 кГц {presence_curve}",
    en: "EQ, dB: sub {sub}, bass {bass}, mids {mids}, presence {presence}, air {air}; curve: 300 Hz {mud}, 3 kHz {presence_curve}",
  },
  audio_changed_transient: {
    ru: "Транзиенты: атака {attack} дБ, сустейн {sustain} дБ",
    en: "Transients: attack {attack} dB, sustain {sustain} dB",
  },
  audio_changed_compression: {
    ru: "Компрессия (среднее подавление по полосам, дБ): {bands}",
    en: "Compression (mean gain reduction per band, dB): {bands}",
  },
  audio_changed_parallel: {
    ru: "Параллельная компрессия: {percent} %",
    en: "Parallel compression: {percent} %",
  },
  audio_changed_saturation: {
    ru: "Сатурация (эксайтер выше 6 кГц): {db} дБ",
    en: "Saturation (exciter above 6 kHz): {db} dB",
  },
  audio_changed_width: {
    ru: "Стерео: ширина ×{factor}, корреляция {before} → {after}",
    en: "Stereo: width ×{factor}, correlation {before} → {after}",
  },
  audio_changed_mix: {
    ru: "Сухой/обработанный: {percent} % обработки",
    en: "Dry/wet: {percent} % processed",
  },
  audio_changed_limiter: {
    ru: "Лимитер (потолок {ceiling} dBTP): до −{max} дБ, в среднем −{mean} дБ",
    en: "Limiter (ceiling {ceiling} dBTP): up to −{max} dB, on average −{mean} dB",
  },
  audio_changed_gain: {
    ru: "Усиление: {staging} дБ до обработки, {final} дБ перед лимитером",
    en: "Gain: {staging} dB before processing, {final} dB into the limiter",
  },
  audio_changed_reference: {
    ru: "Подгонка под референс (файлов: {count}): {aspects}",
    en: "Matched to the reference ({count} file(s)): {aspects}",
  },
  audio_changed_reference_tone: {
    ru: "Тембр по референсу, дБ: 63 Гц {low}, 250 Гц {lowmid}, 1 кГц {mid}, 4 кГц {high}, 12.5 кГц {air}; остаток {residual} дБ СКО",
    en: "Tone matched, dB: 63 Hz {low}, 250 Hz {lowmid}, 1 kHz {mid}, 4 kHz {high}, 12.5 kHz {air}; residual {residual} dB RMS",
  },
  audio_changed_reference_width: {
    ru: "Ширина стерео по референсу: ×{factor} (остаток {residual} дБ)",
    en: "Stereo width matched: ×{factor} (residual {residual} dB)",
  },
  audio_changed_reference_loudness: {
    ru: "Громкость по референсу: референс {reference} LUFS, цель {target}, итог {output} LUFS",
    en: "Loudness matched: reference {reference} LUFS, target {target}, result {output} LUFS",
  },
  audio_changed_reference_dynamics: {
    ru: "Динамика по референсу: разброс кратковременной громкости {input} LU, у референса {reference} LU → компрессия ×{scale}",
    en: "Dynamics matched: short-term loudness spread {input} LU, reference {reference} LU → compression ×{scale}",
  },
  // style=auto (src/audio/plan-auto.ts): the style chosen and why, with the numbers the rule looked at.
  audio_auto_speech: {
    ru: "Автостиль: «Подкаст» — похоже на речь: паузы {pauses} % времени, голосовая полоса {voice} %, низ {low} дБ",
    en: "Auto style: Podcast — sounds like speech: pauses {pauses} % of the time, voice band {voice} %, low end {low} dB",
  },
  audio_auto_dynamic: {
    ru: "Автостиль: «Классика» — широкая динамика (LRA {lra} LU, пик-фактор {crest} дБ): сохраняем её",
    en: "Auto style: Classical — wide dynamics (LRA {lra} LU, crest factor {crest} dB), kept intact",
  },
  audio_auto_bass_dense: {
    ru: "Автостиль: «EDM» — много низа ({low} дБ ниже 120 Гц) и плотный звук (пик-фактор {crest} дБ)",
    en: "Auto style: EDM — bass-heavy ({low} dB below 120 Hz) and already dense (crest factor {crest} dB)",
  },
  audio_auto_bass: {
    ru: "Автостиль: «Хип-хоп» — много низа ({low} дБ ниже 120 Гц) при живой динамике (пик-фактор {crest} дБ)",
    en: "Auto style: Hip-hop — bass-heavy ({low} dB below 120 Hz) with lively dynamics (crest factor {crest} dB)",
  },
  audio_auto_bright: {
    ru: "Автостиль: «Lo-fi» — яркий спектр ({tilt} дБ/окт): смягчаем верх",
    en: "Auto style: Lo-fi — a bright spectrum ({tilt} dB/oct): a softer top end",
  },
  audio_auto_balanced: {
    ru: "Автостиль: «Стриминг» — сбалансированный материал (наклон {tilt} дБ/окт, LRA {lra} LU, низ {low} дБ)",
    en: "Auto style: Stream — balanced material (tilt {tilt} dB/oct, LRA {lra} LU, low end {low} dB)",
  },
  audio_changed_intensity_low: { ru: "Интенсивность: низкая", en: "Intensity: low" },
  audio_changed_intensity_medium: { ru: "Интенсивность: средняя", en: "Intensity: medium" },
  audio_changed_intensity_high: { ru: "Интенсивность: высокая", en: "Intensity: high" },
};
