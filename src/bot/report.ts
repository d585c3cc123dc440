// Pure text builders for task messages: status lines, result captions (before → after) and the analysis
// report. Every sentence comes from the i18n catalogue; numbers are formatted here.

import { type Analysis, INTENSITIES, type PlatformPlayback, PRESETS, STYLES } from "../audio";
import { errorMessage, hasMessage, type Lang, t } from "../i18n";
import type { JobSettings, JobView } from "../jobs";

type Num = number | null | undefined;

/** Reads the analysis stored on a job row (unknown JSON) as a partial Analysis. */
export function asAnalysis(v: unknown): Partial<Analysis> | null {
  return v && typeof v === "object" ? (v as Partial<Analysis>) : null;
}

const fmt = (x: Num, d = 1): string => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "—");

const duration = (s: Num): string => {
  if (typeof s !== "number" || !Number.isFinite(s)) return "—";
  const m = Math.floor(s / 60);
  const sec = Math.round(s - m * 60);
  return `${m}:${String(sec).padStart(2, "0")}`;
};

/** "Task #ID: queued, position N" / "mastering 40%" / "done" … for the task's own message. */
export function statusText(lang: Lang, job: JobView): string {
  const id = job.id;
  switch (job.status) {
    case "queued":
      return t(lang, "bot_task_queued", { id, position: job.position ?? 1 });
    case "running": {
      const stageKey = `bot_stage_${job.stage ?? ""}`;
      const stage = job.stage
        ? hasMessage(stageKey)
          ? t(lang, stageKey)
          : job.stage
        : t(lang, "bot_stage_working");
      return t(lang, "bot_task_running", {
        id,
        percent: Math.round(job.progress * 100),
        stage,
        bar: bar(job.progress),
      });
    }
    case "done":
      return t(lang, job.kind === "measure" ? "bot_task_measured" : "bot_task_done", { id });
    case "failed":
      return t(lang, "bot_task_failed", {
        id,
        reason: errorMessage(lang, job.error?.code ?? "internal_error", { id }),
      });
    case "cancelled":
      return t(lang, "bot_task_cancelled", { id });
    case "expired":
      return t(lang, "bot_task_expired", { id });
  }
}

function bar(p: number): string {
  const n = Math.max(0, Math.min(10, Math.round(p * 10)));
  return `${"▓".repeat(n)}${"░".repeat(10 - n)}`;
}

/**
 * The loudness target a task aims at, in words: the platform preset's name and numbers, or "by style"
 * with the style's. Explicit numbers in the settings win, as in the engine (explicit > preset > style).
 */
export function targetText(lang: Lang, settings: JobSettings): string {
  const preset = PRESETS.find((p) => p.id === settings.preset);
  if (!preset && settings.style === "auto" && settings.target_lufs === undefined)
    return t(lang, "bot_target_auto", { tp: settings.ceiling_dbtp ?? -1 });
  const style = STYLES.find((s) => s.id === (settings.style ?? "standard")) ?? STYLES[0];
  const lufs = settings.target_lufs ?? preset?.target_lufs ?? style.target_lufs;
  const tp = settings.ceiling_dbtp ?? preset?.ceiling_dbtp ?? style.ceiling_dbtp;
  return preset
    ? t(lang, "bot_target_preset", { name: preset.names[lang], lufs, tp })
    : t(lang, "bot_target_style", { name: style.names[lang], lufs, tp });
}

const VERDICT_MARK: Partial<Record<PlatformPlayback["verdict"], string>> = {
  peak_risk: "⚠",
  limited: "⚠",
  compliant: "✓",
  not_compliant: "✗",
};

/**
 * One line for a caption: each platform's playback gain (what its player does to the file), marked ⚠
 * on a peak risk or player limiting; broadcast specs as ✓/✗. Empty when the analysis has none.
 */
export function platformsBrief(lang: Lang, platforms: unknown): string {
  if (!Array.isArray(platforms) || platforms.length === 0) return "";
  const items = (platforms as PlatformPlayback[]).map((p) => {
    const mark = VERDICT_MARK[p.verdict] ?? "";
    if (p.kind === "broadcast") return `${p.name} ${mark}`;
    const g = p.gain_db === 0 ? "0" : `${p.gain_db > 0 ? "+" : "−"}${Math.abs(p.gain_db).toFixed(1)}`;
    return `${p.name} ${g}${mark}`;
  });
  return t(lang, "audio_platforms_brief", { list: items.join(", ") });
}

/** Caption of the result document: before → after LUFS, true peak, LRA, platforms, with the task id. */
/** The style's name; for style=auto the one the engine chose (from the report), marked as automatic. */
function styleName(lang: Lang, job: JobView, after: ReturnType<typeof asAnalysis>): string {
  const id = job.settings.style === "auto" ? after?.changes?.auto_style?.style : job.settings.style;
  const name = STYLES.find((s) => s.id === id)?.names[lang] ?? String(job.settings.style ?? "—");
  return job.settings.style === "auto" ? t(lang, "bot_style_auto_chosen", { name }) : name;
}

export function resultCaption(lang: Lang, job: JobView): string {
  const b = asAnalysis(job.analysis_before);
  const a = asAnalysis(job.analysis_after);
  const caption = t(lang, "bot_result_caption", {
    id: job.id,
    lufs_before: fmt(b?.integrated_lufs),
    lufs_after: fmt(a?.integrated_lufs),
    tp_before: fmt(b?.true_peak_dbtp),
    tp_after: fmt(a?.true_peak_dbtp),
    lra_before: fmt(b?.lra_lu),
    lra_after: fmt(a?.lra_lu),
    style: styleName(lang, job, a),
    format: t(lang, `bot_format_${job.settings.format ?? "wav24"}`),
    target: targetText(lang, job.settings),
  });
  const lines = [caption, optionsLine(lang, job, a), platformsBrief(lang, a?.platforms)];
  return lines.filter((l) => l !== "").join("\n");
}

/** The intensity and, when references were matched, the aspects matched (from the delivered report). */
function optionsLine(lang: Lang, job: JobView, after: ReturnType<typeof asAnalysis>): string {
  const level = INTENSITIES.find((i) => i === job.settings.intensity) ?? "medium";
  const ref = after?.changes?.reference;
  const aspects = Array.isArray(ref?.aspects)
    ? ref.aspects.map((x) => t(lang, `bot_match_${x}`)).join(", ")
    : "";
  return t(lang, "bot_caption_settings", {
    intensity: t(lang, `bot_intensity_${level}`),
    reference: aspects ? t(lang, "bot_caption_reference", { aspects }) : "",
  });
}

/** The /analyze report: loudness, range, peaks, duration, rate, channels, correlation and platform verdicts. */
export function analysisReport(
  lang: Lang,
  jobId: string,
  analysis: unknown,
  titleKey = "bot_analysis_title",
): string {
  const a = asAnalysis(analysis);
  if (!a) return t(lang, "bot_analysis_missing", { id: jobId });
  const lines = [
    t(lang, titleKey, { id: jobId }),
    t(lang, "bot_analysis_body", {
      lufs: fmt(a.integrated_lufs),
      lra: fmt(a.lra_lu),
      tp: fmt(a.true_peak_dbtp),
      peak: fmt(a.sample_peak_dbfs),
      duration: duration(a.duration_s),
      rate: a.sample_rate ?? "—",
      channels: a.channels ?? "—",
      correlation: fmt(a.stereo_correlation, 2),
    }),
  ];
  const platforms = Array.isArray(a.platforms) ? a.platforms : [];
  if (platforms.length > 0) {
    lines.push(t(lang, "bot_analysis_platforms"));
    for (const p of platforms) lines.push(`• ${t(lang, p.message.key, p.message.params)}`);
  }
  // A master's result analysis also says what the master changed.
  const changes = Array.isArray(a.changes?.messages) ? a.changes.messages : [];
  if (changes.length > 0) {
    lines.push(t(lang, "audio_changed_title"));
    for (const m of changes) lines.push(`• ${t(lang, m.key, m.params)}`);
  }
  return lines.join("\n");
}
