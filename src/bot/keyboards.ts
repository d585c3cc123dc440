// Keyboards: the reply-keyboard menu, the style step, the format step and the admin menu. Labels come
// from the catalogue (styles carry their own RU/EN names) and the i18n messages.

import { InlineKeyboard, Keyboard } from "grammy";
import {
  type FormatId,
  INTENSITIES,
  type Intensity,
  MATCH_ASPECTS,
  PRESETS,
  type PresetId,
  STYLES,
} from "../audio";
import { type Lang, t } from "../i18n";

/** Formats offered in the second step, in this order; MP3 320 and WAV 24 first. */
export const BOT_FORMATS: readonly FormatId[] = ["wav24", "mp3", "flac24", "wav16", "aac", "opus"];

const MENU = [
  "bot_menu_master",
  "bot_menu_analyze",
  "bot_menu_presets",
  "bot_menu_history",
  "bot_menu_help",
  "bot_menu_lang",
] as const;
export type MenuKey = (typeof MENU)[number];

export function menuKeyboard(lang: Lang): Keyboard {
  const k = new Keyboard();
  MENU.forEach((key, i) => {
    k.text(t(lang, key));
    if (i % 2 === 1) k.row();
  });
  return k.resized().persistent();
}

/** Both languages' label of a menu button, for `hears`. */
export const menuLabels = (key: MenuKey): string[] => [t("ru", key), t("en", key)];

/** The style step; its first button, "auto", is the suggested default (the engine picks from the analysis). */
export function styleKeyboard(lang: Lang): InlineKeyboard {
  const k = new InlineKeyboard().text(t(lang, "bot_btn_style_auto"), "st:auto").row();
  STYLES.forEach((s, i) => {
    k.text(s.names[lang], `st:${s.id}`);
    if (i % 2 === 1) k.row();
  });
  if (STYLES.length % 2 === 1) k.row();
  return k.text(t(lang, "bot_btn_analyse_only"), "an");
}

/** The preset a session value names, or undefined for "by style" (and for anything unknown). */
export function presetOf(id: string | undefined): (typeof PRESETS)[number] | undefined {
  return id ? PRESETS.find((p) => p.id === id) : undefined;
}

export const isPresetId = (s: string): s is PresetId => PRESETS.some((p) => p.id === s);

/** What the format step's option buttons show: the platform, the intensity and the references. */
export type FormatStepState = {
  preset?: string;
  intensity?: string;
  /** Reference tracks chosen so far; undefined = references are not offered (a group of tracks). */
  references?: number;
};

/**
 * The format step. Its first buttons name the platform target ("by style" unless one was picked), the
 * intensity and the reference tracks, each opening its own step that comes back here, so the default path
 * stays two taps: style, then format.
 */
export function formatKeyboard(lang: Lang, o: FormatStepState = {}): InlineKeyboard {
  const p = presetOf(o.preset);
  const level = t(lang, `bot_intensity_${isIntensity(o.intensity) ? o.intensity : "medium"}`);
  const k = new InlineKeyboard()
    .text(
      p ? t(lang, "bot_btn_platform_set", { name: p.names[lang] }) : t(lang, "bot_btn_platform_by_style"),
      "pk",
    )
    .row()
    .text(t(lang, "bot_btn_intensity", { level }), "ik");
  if (o.references !== undefined)
    k.text(
      o.references > 0
        ? t(lang, "bot_btn_reference_set", { count: o.references })
        : t(lang, "bot_btn_reference_none"),
      "rk",
    );
  k.row();
  BOT_FORMATS.forEach((f, i) => {
    k.text(t(lang, `bot_format_${f}`), `fm:${f}`);
    if (i % 2 === 1) k.row();
  });
  return k.row().text(t(lang, "bot_btn_back"), "bk");
}

/** The preset step: "by style" first, then every platform preset with its target; back to the formats. */
export function presetKeyboard(lang: Lang, current?: string): InlineKeyboard {
  const mark = (on: boolean, label: string) => (on ? t(lang, "bot_preset_selected", { label }) : label);
  const k = new InlineKeyboard()
    .text(mark(!presetOf(current), t(lang, "bot_preset_by_style")), "ps:style")
    .row();
  PRESETS.forEach((p, i) => {
    const label = t(lang, "bot_preset_button", { name: p.names[lang], lufs: p.target_lufs });
    k.text(mark(p.id === current, label), `ps:${p.id}`);
    if (i % 2 === 1) k.row();
  });
  if (PRESETS.length % 2 === 1) k.row();
  return k.text(t(lang, "bot_btn_back"), "pb");
}

export function adminKeyboard(lang: Lang): InlineKeyboard {
  return new InlineKeyboard()
    .text(t(lang, "bot_admin_btn_server"), "adm:server")
    .text(t(lang, "bot_admin_btn_stats"), "adm:stats")
    .row()
    .text(t(lang, "bot_admin_btn_jobs"), "adm:jobs")
    .text(t(lang, "bot_admin_btn_errors"), "adm:errors");
}

export const isIntensity = (s: string | undefined): s is Intensity =>
  (INTENSITIES as readonly string[]).includes(s ?? "");

/** The intensity step: low, medium (the default), high; the current one is ticked. Back = a choice. */
export function intensityKeyboard(lang: Lang, current?: string): InlineKeyboard {
  const now = isIntensity(current) ? current : "medium";
  const k = new InlineKeyboard();
  for (const level of INTENSITIES) {
    const label = t(lang, `bot_intensity_btn_${level}`);
    k.text(level === now ? t(lang, "bot_preset_selected", { label }) : label, `in:${level}`).row();
  }
  return k;
}

/** The reference step: one toggle per aspect to match, clear, and done (back to the formats). */
export function referenceKeyboard(
  lang: Lang,
  match: readonly string[] | undefined,
  count: number,
): InlineKeyboard {
  const on = match ?? MATCH_ASPECTS;
  const k = new InlineKeyboard();
  MATCH_ASPECTS.forEach((a, i) => {
    const aspect = t(lang, `bot_match_${a}`);
    k.text(t(lang, on.includes(a) ? "bot_match_on" : "bot_match_off", { aspect }), `rm:${a}`);
    if (i % 2 === 1) k.row();
  });
  if (count > 0) k.text(t(lang, "bot_btn_reference_clear"), "rc").row();
  return k.text(t(lang, "bot_btn_done"), "rd");
}

/** Several tracks arrived together: one album, or each on its own with the same settings. */
export function groupKeyboard(lang: Lang): InlineKeyboard {
  return new InlineKeyboard().text(t(lang, "bot_btn_album"), "ga").row().text(t(lang, "bot_btn_each"), "ge");
}
