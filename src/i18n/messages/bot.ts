// Every text the Telegram bot and the admin notifications show, RU and EN. Keys start with bot_ or notify_.
import type { Catalogue } from "../index";

const USER_HELP_RU = [
  "Пришлите трек (WAV, MP3, FLAC, M4A, OGG/Opus, AIFF — до {mb} МБ) — я предложу стиль и формат и пришлю мастер.",
  "Несколько файлов сразу (до 10) — альбом: общая обработка, относительная громкость сохраняется. Трек-референс — кнопка «🎯 Референс» на шаге формата.",
  "",
  "/master — мастеринг трека",
  "/analyze — анализ: LUFS, LRA, пики, что сделают платформы",
  "/status <id> — состояние задачи (и результат ещё раз)",
  "/history — последние 10 задач",
  "/presets — стили и платформенные пресеты",
  "/cancel <id> — отменить задачу",
  "/feedback <id> <текст> — отзыв о задаче (или просто «<id> <текст>»)",
  "/lang — сменить язык (RU/EN)",
  "/balance — баланс, тариф и лимиты · /link — привязать аккаунт сайта · /ref — пригласить друга",
  "/buy — купить токены или тариф (Telegram Stars) · /paysupport — вопросы по оплате",
].join("\n");

const USER_HELP_EN = [
  "Send me a track (WAV, MP3, FLAC, M4A, OGG/Opus, AIFF — up to {mb} MB): pick a style and a format and I send back the master.",
  "Several files at once (up to 10) make an album: one shared chain, relative loudness kept. A reference track: the “🎯 Reference” button on the format step.",
  "",
  "/master — master a track",
  "/analyze — analysis: LUFS, LRA, peaks, what platforms will do",
  "/status <id> — task state (and the result again)",
  "/history — your last 10 tasks",
  "/presets — styles and platform presets",
  "/cancel <id> — cancel a task",
  "/feedback <id> <text> — feedback on a task (or just “<id> <text>”)",
  "/lang — switch language (RU/EN)",
  "/balance — balance, tier and limits · /link — link your web account · /ref — invite a friend",
  "/buy — buy tokens or a plan (Telegram Stars) · /paysupport — payment help",
].join("\n");

const ADMIN_HELP_RU = [
  "",
  "Админ:",
  "/admin — меню · /server — сервер · /stats — статистика · /jobs — очередь · /errors — ошибки",
  "/user <id|@имя> — отчёт · /ban <id|@имя> [причина] · /unban <id|@имя> · /broadcast <текст>",
  "/refund <id заказа> — вернуть оплату (Stars, ЮKassa, Platega)",
].join("\n");

const ADMIN_HELP_EN = [
  "",
  "Admin:",
  "/admin — menu · /server — server · /stats — statistics · /jobs — queue · /errors — failures",
  "/user <id|@name> — report · /ban <id|@name> [reason] · /unban <id|@name> · /broadcast <text>",
  "/refund <order id> — refund a payment (Stars, YooKassa, Platega)",
].join("\n");

export const botMessages: Catalogue = {
  // Start, help, language, menu
  bot_welcome: {
    ru: "Привет, {name}! Я Magic Master — мастеринг треков прямо в Telegram.\n\nПришлите аудиофайл, выберите стиль и формат — и получите готовый мастер с отчётом о громкости. /help — все команды.",
    en: "Hi {name}! I'm Magic Master — track mastering right in Telegram.\n\nSend an audio file, pick a style and a format, and get the master back with a loudness report. /help lists all commands.",
  },
  bot_help: { ru: USER_HELP_RU, en: USER_HELP_EN },
  bot_help_admin: { ru: USER_HELP_RU + ADMIN_HELP_RU, en: USER_HELP_EN + ADMIN_HELP_EN },
  bot_lang_set: { ru: "Язык: русский 🇷🇺", en: "Language: English 🇬🇧" },
  bot_menu_master: { ru: "🎛 Мастеринг", en: "🎛 Master" },
  bot_menu_analyze: { ru: "📊 Анализ", en: "📊 Analyze" },
  bot_menu_presets: { ru: "🎨 Пресеты", en: "🎨 Presets" },
  bot_menu_history: { ru: "🗂 История", en: "🗂 History" },
  bot_menu_help: { ru: "❓ Помощь", en: "❓ Help" },
  bot_menu_lang: { ru: "🌐 English", en: "🌐 Русский" },
  bot_unknown_command: {
    ru: "Не знаю такой команды. Список команд — /help.",
    en: "I don't know that command. See /help.",
  },
  bot_send_audio_hint: {
    ru: "Пришлите аудиофайл (WAV, MP3, FLAC, M4A, OGG, AIFF до {mb} МБ) — и я его отмастерю. /help — команды.",
    en: "Send me an audio file (WAV, MP3, FLAC, M4A, OGG, AIFF up to {mb} MB) and I'll master it. /help lists commands.",
  },
  bot_rate_limited: {
    ru: "Слишком много сообщений — подождите минуту, пожалуйста.",
    en: "Too many messages — please wait a minute.",
  },
  bot_banned: {
    ru: "Извините, доступ к боту для вас закрыт. Если это ошибка — напишите в поддержку.",
    en: "Sorry, your access to this bot has been suspended. If you think this is a mistake, please contact support.",
  },
  bot_error_try_again: {
    ru: "Что-то пошло не так. Попробуйте ещё раз.",
    en: "Something went wrong. Please try again.",
  },
  bot_stale_button: {
    ru: "Эта кнопка устарела. Пришлите файл ещё раз.",
    en: "This button has expired. Please send the file again.",
  },

  // Mastering flow
  bot_send_file: {
    ru: "Пришлите трек для мастеринга (до {mb} МБ): как файл, аудио или голосовое.",
    en: "Send the track to master (up to {mb} MB): as a file, an audio or a voice message.",
  },
  bot_send_file_analyze: {
    ru: "Пришлите трек для анализа (до {mb} МБ).",
    en: "Send the track to analyse (up to {mb} MB).",
  },
  bot_not_audio: {
    ru: "«{name}» не похож на аудио. Подойдут WAV, MP3, FLAC, M4A, OGG/Opus, AIFF.",
    en: "“{name}” doesn't look like audio. WAV, MP3, FLAC, M4A, OGG/Opus and AIFF work.",
  },
  bot_file_too_big_for_telegram: {
    ru: "«{name}» весит {mb} МБ, а Telegram отдаёт ботам файлы только до 20 МБ. Загрузите его на сайте: {link}",
    en: "“{name}” is {mb} MB, but Telegram lets bots download files only up to 20 MB. Please upload it on the website: {link}",
  },
  bot_choose_style: {
    ru: "🎚 «{name}»: выберите стиль мастеринга.",
    en: "🎚 “{name}”: choose a mastering style.",
  },
  bot_choose_format: {
    ru: "💾 «{name}»: выберите формат результата.\n🎯 {target}",
    en: "💾 “{name}”: choose the output format.\n🎯 {target}",
  },
  bot_choose_preset: {
    ru: "📡 «{name}»: для какой платформы мастер? Громкость и пик будут по её правилам. «По стилю» — цель выбранного стиля.",
    en: "📡 “{name}”: which platform is the master for? Loudness and peak follow its rules. “By style” keeps the style's own target.",
  },
  bot_btn_platform_by_style: { ru: "📡 Платформа: по стилю ▸", en: "📡 Platform: by style ▸" },
  bot_btn_platform_set: { ru: "📡 Платформа: {name} ▸", en: "📡 Platform: {name} ▸" },
  bot_preset_by_style: { ru: "🎚 По стилю (по умолчанию)", en: "🎚 By style (default)" },
  bot_preset_button: { ru: "{name} · {lufs}", en: "{name} · {lufs}" },
  bot_preset_selected: { ru: "✓ {label}", en: "✓ {label}" },
  bot_target_preset: {
    ru: "Цель: {name} — {lufs} LUFS, пик ≤ {tp} dBTP",
    en: "Target: {name} — {lufs} LUFS, peak ≤ {tp} dBTP",
  },
  bot_target_style: {
    ru: "Цель: по стилю «{name}» — {lufs} LUFS, пик ≤ {tp} dBTP",
    en: "Target: by style “{name}” — {lufs} LUFS, peak ≤ {tp} dBTP",
  },
  bot_btn_style_auto: {
    ru: "✨ Авто — стиль по анализу трека (рекомендуем)",
    en: "✨ Auto — style from the track's analysis (suggested)",
  },
  bot_target_auto: {
    ru: "Цель: по автостилю — выберем по анализу, пик ≤ {tp} dBTP",
    en: "Target: by auto style — chosen from the analysis, peak ≤ {tp} dBTP",
  },
  bot_style_auto_chosen: { ru: "авто: {name}", en: "auto: {name}" },
  bot_btn_analyse_only: { ru: "📊 Только анализ", en: "📊 Analyse only" },
  bot_btn_back: { ru: "⬅️ Назад", en: "⬅️ Back" },
  bot_format_wav24: { ru: "WAV 24 бит", en: "WAV 24-bit" },
  bot_format_wav16: { ru: "WAV 16 бит", en: "WAV 16-bit" },
  bot_format_wav32f: { ru: "WAV 32 float", en: "WAV 32 float" },
  bot_format_flac24: { ru: "FLAC 24 бит", en: "FLAC 24-bit" },
  bot_format_flac16: { ru: "FLAC 16 бит", en: "FLAC 16-bit" },
  bot_format_mp3: { ru: "MP3 320", en: "MP3 320" },
  bot_format_aac: { ru: "AAC 256", en: "AAC 256" },
  bot_format_opus: { ru: "Opus 192", en: "Opus 192" },
  bot_downloading: { ru: "⏬ Получаю «{name}»…", en: "⏬ Fetching “{name}”…" },
  bot_intake_failed: { ru: "⚠️ «{name}» не принят: {reason}", en: "⚠️ “{name}” was not accepted: {reason}" },

  // Task messages (every one names the task id)
  bot_task_queued: {
    ru: "🕐 Задача #{id} в очереди, позиция {position}.",
    en: "🕐 Task #{id} queued, position {position}.",
  },
  bot_task_running: {
    ru: "⚙️ Задача #{id}: {stage} {bar} {percent}%",
    en: "⚙️ Task #{id}: {stage} {bar} {percent}%",
  },
  bot_task_done: { ru: "✅ Задача #{id} готова.", en: "✅ Task #{id} done." },
  bot_task_measured: { ru: "✅ Задача #{id}: анализ готов.", en: "✅ Task #{id}: analysis ready." },
  bot_task_failed: { ru: "❌ Задача #{id} не выполнена: {reason}", en: "❌ Task #{id} failed: {reason}" },
  bot_task_cancelled: { ru: "🚫 Задача #{id} отменена.", en: "🚫 Task #{id} cancelled." },
  bot_task_expired: {
    ru: "⌛ Срок хранения результата задачи #{id} истёк.",
    en: "⌛ The result of task #{id} has expired.",
  },
  bot_task_error: { ru: "⚠️ Задача #{id}: {reason}", en: "⚠️ Task #{id}: {reason}" },
  bot_stage_working: { ru: "обработка", en: "processing" },
  bot_stage_analyze: { ru: "анализ", en: "analysing" },
  bot_stage_chain: { ru: "обработка цепочкой", en: "processing chain" },
  bot_stage_search: { ru: "подбор громкости", en: "loudness search" },
  bot_stage_render: { ru: "финальный рендер", en: "final render" },
  bot_stage_verify: { ru: "проверка", en: "verifying" },
  bot_stage_done: { ru: "завершение", en: "finishing" },
  bot_result_caption: {
    ru: "✅ Задача #{id} · {style} · {format}\n🎯 {target}\nLUFS: {lufs_before} → {lufs_after}\nTrue peak: {tp_before} → {tp_after} dBTP\nLRA: {lra_before} → {lra_after} LU\nОтзыв: «{id} ваш текст»",
    en: "✅ Task #{id} · {style} · {format}\n🎯 {target}\nLUFS: {lufs_before} → {lufs_after}\nTrue peak: {tp_before} → {tp_after} dBTP\nLRA: {lra_before} → {lra_after} LU\nFeedback: “{id} your text”",
  },
  bot_result_link: {
    ru: "Результат задачи #{id} ({mb} МБ) больше лимита Telegram в {limit} МБ — скачайте его по ссылке: {link}",
    en: "The result of task #{id} ({mb} MB) is over Telegram's {limit} MB limit — download it here: {link}",
  },
  bot_result_gone: {
    ru: "Результат задачи #{id} больше недоступен (срок хранения истёк).",
    en: "The result of task #{id} is no longer available (it expired).",
  },
  bot_delivery_failed: {
    ru: "⚠️ Задача #{id} готова, но отправить файл не удалось. Повторите: /status {id}",
    en: "⚠️ Task #{id} is done, but sending the file failed. Try again: /status {id}",
  },
  bot_btn_another_style: { ru: "🎚 Другой стиль", en: "🎚 Another style" },
  bot_btn_other_format: { ru: "💾 Другой формат", en: "💾 Other format" },
  bot_btn_analyse_result: { ru: "📊 Анализ результата", en: "📊 Analyse result" },

  // Analysis report
  bot_analysis_title: { ru: "📊 Анализ, задача #{id}", en: "📊 Analysis, task #{id}" },
  bot_analysis_result_title: {
    ru: "📊 Анализ результата, задача #{id}",
    en: "📊 Result analysis, task #{id}",
  },
  bot_analysis_body: {
    ru: "Громкость: {lufs} LUFS\nДинамический диапазон (LRA): {lra} LU\nTrue peak: {tp} dBTP\nПиковый уровень: {peak} dBFS\nДлительность: {duration}\nЧастота: {rate} Гц, каналов: {channels}\nКорреляция L/R: {correlation}",
    en: "Loudness: {lufs} LUFS\nLoudness range (LRA): {lra} LU\nTrue peak: {tp} dBTP\nSample peak: {peak} dBFS\nDuration: {duration}\nSample rate: {rate} Hz, channels: {channels}\nL/R correlation: {correlation}",
  },
  bot_analysis_platforms: { ru: "Что сделают платформы:", en: "What platforms will do:" },
  bot_analysis_missing: {
    ru: "Для задачи #{id} нет данных анализа.",
    en: "Task #{id} has no analysis data.",
  },

  // Status, cancel, history, presets
  bot_status_usage: { ru: "Укажите номер задачи: /status K7M2QX", en: "Give a task id: /status K7M2QX" },
  bot_cancel_usage: { ru: "Укажите номер задачи: /cancel K7M2QX", en: "Give a task id: /cancel K7M2QX" },
  bot_cancel_too_late: {
    ru: "Задачу #{id} уже не отменить: она {state}.",
    en: "Task #{id} can no longer be cancelled: it is {state}.",
  },
  bot_history_title: { ru: "🗂 Последние задачи:", en: "🗂 Your latest tasks:" },
  bot_history_line: { ru: "#{id} · {name} · {state} · {date}", en: "#{id} · {name} · {state} · {date}" },
  bot_history_empty: { ru: "Задач пока нет. Пришлите трек!", en: "No tasks yet. Send me a track!" },
  bot_presets_styles_title: { ru: "🎨 Стили:", en: "🎨 Styles:" },
  bot_presets_style_line: { ru: "• {name} — {lufs} LUFS. {desc}", en: "• {name} — {lufs} LUFS. {desc}" },
  bot_presets_presets_title: { ru: "📡 Платформы:", en: "📡 Platforms:" },
  bot_presets_hint: {
    ru: "Платформу выбирают кнопкой «📡 Платформа» на шаге формата; без выбора цель берётся из стиля.",
    en: "Pick a platform with the “📡 Platform” button at the format step; otherwise the style's target is used.",
  },
  bot_presets_preset_line: {
    ru: "• {name}: {lufs} LUFS, пик {tp} dBTP",
    en: "• {name}: {lufs} LUFS, peak {tp} dBTP",
  },

  // Feedback
  bot_feedback_usage: {
    ru: "Формат: /feedback <id задачи> <текст> — или просто «K7M2QX понравилось, но басу мало».",
    en: "Format: /feedback <task id> <text> — or just “K7M2QX nice, but a bit thin”.",
  },
  bot_feedback_thanks: {
    ru: "🙏 Спасибо! Отзыв о задаче #{id} записан.",
    en: "🙏 Thanks! Feedback on task #{id} recorded.",
  },
  bot_feedback_forward: {
    ru: "💬 Отзыв о задаче #{id} от {who}:\n{message}",
    en: "💬 Feedback on task #{id} from {who}:\n{message}",
  },

  // Commands menu (setMyCommands)
  bot_cmd_start: { ru: "Начать", en: "Start" },
  bot_cmd_master: { ru: "Мастеринг трека", en: "Master a track" },
  bot_cmd_analyze: { ru: "Анализ трека", en: "Analyse a track" },
  bot_cmd_status: { ru: "Состояние задачи", en: "Task status" },
  bot_cmd_history: { ru: "Последние задачи", en: "Latest tasks" },
  bot_cmd_presets: { ru: "Стили и пресеты", en: "Styles and presets" },
  bot_cmd_cancel: { ru: "Отменить задачу", en: "Cancel a task" },
  bot_cmd_feedback: { ru: "Отзыв о задаче", en: "Feedback on a task" },
  bot_cmd_lang: { ru: "Язык RU/EN", en: "Language RU/EN" },
  bot_cmd_help: { ru: "Помощь", en: "Help" },
  bot_cmd_admin: { ru: "Админ-меню", en: "Admin menu" },
  bot_cmd_server: { ru: "Сервер", en: "Server" },
  bot_cmd_stats: { ru: "Статистика", en: "Statistics" },
  bot_cmd_jobs: { ru: "Очередь задач", en: "Job queue" },
  bot_cmd_errors: { ru: "Последние ошибки", en: "Recent failures" },
  bot_cmd_user: { ru: "Отчёт о пользователе", en: "User report" },
  bot_cmd_ban: { ru: "Заблокировать", en: "Ban a user" },
  bot_cmd_unban: { ru: "Разблокировать", en: "Unban a user" },
  bot_cmd_broadcast: { ru: "Рассылка", en: "Broadcast" },

  // Admin
  bot_admin_menu: { ru: "🛠 Админ-меню:", en: "🛠 Admin menu:" },
  bot_admin_btn_server: { ru: "🖥 Сервер", en: "🖥 Server" },
  bot_admin_btn_stats: { ru: "📊 Статистика", en: "📊 Stats" },
  bot_admin_btn_jobs: { ru: "⚙️ Задачи", en: "⚙️ Jobs" },
  bot_admin_btn_errors: { ru: "🔴 Ошибки", en: "🔴 Errors" },
  bot_admin_server: {
    ru: "🖥 Сервер · v{version}\nЗдоровье: {status} ({problems})\nCPU: load {load} ({cores} ядер)\nRAM: {ram_used}/{ram_total} МБ, процесс {rss} МБ\nДиск: свободно {disk_free} МБ\nАптайм: {uptime}\nЗадачи: в работе {running}, в очереди {queued}",
    en: "🖥 Server · v{version}\nHealth: {status} ({problems})\nCPU: load {load} ({cores} cores)\nRAM: {ram_used}/{ram_total} MB, process {rss} MB\nDisk: {disk_free} MB free\nUptime: {uptime}\nJobs: {running} running, {queued} queued",
  },
  bot_admin_stats_today: { ru: "Сегодня (UTC)", en: "Today (UTC)" },
  bot_admin_stats_week: { ru: "7 дней", en: "7 days" },
  bot_admin_stats_block: {
    ru: "📊 {title}\nЗадач: готово {done}, ошибок {failed}\nПользователи: новых {new_users}, активных {active_users}\nСредний realtime-фактор: {rtf}×",
    en: "📊 {title}\nTasks: {done} done, {failed} failed\nUsers: {new_users} new, {active_users} active\nMean realtime factor: {rtf}×",
  },
  bot_admin_jobs_title: { ru: "⚙️ Активные задачи ({count}):", en: "⚙️ Active jobs ({count}):" },
  bot_admin_jobs_line: {
    ru: "#{id} · {state} {percent}% · {owner} · {name}",
    en: "#{id} · {state} {percent}% · {owner} · {name}",
  },
  bot_admin_jobs_none: { ru: "Очередь пуста.", en: "The queue is empty." },
  bot_admin_errors_title: { ru: "🔴 Последние ошибки:", en: "🔴 Recent failures:" },
  bot_admin_errors_line: { ru: "#{id} · {reason} · {owner} · {at}", en: "#{id} · {reason} · {owner} · {at}" },
  bot_admin_errors_none: { ru: "Ошибок нет.", en: "No failures." },
  bot_admin_user_usage: { ru: "Формат: /user <id|@имя>", en: "Usage: /user <id|@name>" },
  bot_admin_user_not_found: { ru: "Пользователь {ref} не найден.", en: "User {ref} not found." },
  bot_admin_user_report: {
    ru: "👤 Пользователь #{id}\nTelegram: {tg} {username}\nЯзык: {lang}, тариф: {tier}\nСоздан: {created}, был: {seen}\nБлокировка: {banned}\nБот заблокирован пользователем: {blocked}\nЗадач: {total} (готово {done}, ошибок {failed}), последняя: {last}",
    en: "👤 User #{id}\nTelegram: {tg} {username}\nLanguage: {lang}, tier: {tier}\nCreated: {created}, last seen: {seen}\nBan: {banned}\nBlocked the bot: {blocked}\nTasks: {total} ({done} done, {failed} failed), last: {last}",
  },
  bot_admin_banned_yes: { ru: "да ({reason}, {at})", en: "yes ({reason}, {at})" },
  bot_admin_banned_no: { ru: "нет", en: "no" },
  bot_admin_ban_usage: { ru: "Формат: /ban <id|@имя> [причина]", en: "Usage: /ban <id|@name> [reason]" },
  bot_admin_unban_usage: { ru: "Формат: /unban <id|@имя>", en: "Usage: /unban <id|@name>" },
  bot_admin_banned: {
    ru: "⛔ {ref} (#{id}) заблокирован. Отменено задач в очереди (с возвратом токенов): {jobs}.",
    en: "⛔ {ref} (#{id}) banned. Queued jobs cancelled (tokens refunded): {jobs}.",
  },
  bot_admin_unbanned: { ru: "✅ {ref} (#{id}) разблокирован.", en: "✅ {ref} (#{id}) unbanned." },
  bot_admin_broadcast_usage: { ru: "Формат: /broadcast <текст>", en: "Usage: /broadcast <text>" },
  bot_admin_broadcast_preview: {
    ru: "📣 Предпросмотр рассылки ({count} получателей). Отправить?",
    en: "📣 Broadcast preview ({count} recipients). Send it?",
  },
  bot_admin_broadcast_confirm: { ru: "✅ Отправить ({count})", en: "✅ Send ({count})" },
  bot_admin_broadcast_abort: { ru: "✖️ Отмена", en: "✖️ Cancel" },
  bot_admin_broadcast_aborted: { ru: "Рассылка отменена.", en: "Broadcast cancelled." },
  bot_admin_broadcast_started: {
    ru: "📣 Рассылка началась: {count} получателей.",
    en: "📣 Broadcast started: {count} recipients.",
  },
  bot_admin_broadcast_report: {
    ru: "📣 Рассылка завершена: доставлено {delivered}, заблокировали бота {blocked}, ошибок {failed}.",
    en: "📣 Broadcast finished: {delivered} delivered, {blocked} blocked the bot, {failed} failed.",
  },

  // Admin notifications (notify/)
  notify_startup: {
    ru: "🚀 Magic Master v{version} запущен на {host}.",
    en: "🚀 Magic Master v{version} started on {host}.",
  },
  notify_failure_line: {
    ru: "#{id} · {reason} · {name} · {owner}",
    en: "#{id} · {reason} · {name} · {owner}",
  },
  notify_task_failed: { ru: "❌ Ошибка задачи: {line}", en: "❌ Task failed: {line}" },
  notify_tasks_failed: {
    ru: "❌ {count} задач завершились ошибкой (за {seconds} с):\n{lines}{more}",
    en: "❌ {count} tasks failed (within {seconds} s):\n{lines}{more}",
  },
  notify_alert: { ru: "⚠️ [{kind}] {text}", en: "⚠️ [{kind}] {text}" },
  notify_suppressed: {
    ru: "\n(ещё {count} таких же уведомлений подавлено)",
    en: "\n({count} more of this kind were suppressed)",
  },
  bot_maintenance: {
    ru: "🛠 Сервис на обслуживании: {message}\nНовые задачи сейчас не принимаются; уже запущенные доработают. /status <id> работает.",
    en: "🛠 The service is under maintenance: {message}\nNew tasks are not accepted right now; running ones will finish. /status <id> still works.",
  },
};
