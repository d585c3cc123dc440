// The file (or group of files) waiting in the session for its choices, and the texts and keyboards of
// its steps, shared by the mastering steps (master.ts) and the option steps (master-steps.ts).

import {
  FORMAT_IDS,
  type FormatId,
  MATCH_ASPECTS,
  type MasterSettings,
  type MatchAspect,
  type PresetId,
  STYLE_IDS,
  type StyleId,
} from "../../audio";
import type { BotContext, FileRef, PendingFile } from "../context";
import type { IntakeInput } from "../intake";
import { formatKeyboard, isIntensity, isPresetId, styleKeyboard } from "../keyboards";
import { targetText } from "../report";

/** A style id, or "auto" (the suggested default: the engine picks from the analysis). */
export type StyleChoice = StyleId | "auto";
export const isStyle = (s: string): s is StyleChoice =>
  s === "auto" || (STYLE_IDS as readonly string[]).includes(s);
export const isFormat = (s: string): s is FormatId => (FORMAT_IDS as readonly string[]).includes(s);
export const isAspect = (s: string): s is MatchAspect => (MATCH_ASPECTS as readonly string[]).includes(s);

/** The session's pending file if the pressed button sits under its keyboard message, else undefined. */
export function pendingFor(ctx: BotContext): PendingFile | undefined {
  const p = ctx.session.pending;
  const msgId = ctx.callbackQuery?.message?.message_id;
  return p && p.messageId === msgId ? p : undefined;
}

/** Every track of the pending group (one for a lone file), first sent first. */
export const tracksOf = (p: PendingFile): IntakeInput[] => [
  { fileId: p.fileId, name: p.name, size: p.size },
  ...(p.extra ?? []),
];

export const isGroup = (p: PendingFile): boolean => (p.extra?.length ?? 0) > 0;

/** How the steps name what is pending: the file's name, or "Album, 4 tracks". */
export function pendingName(ctx: BotContext, p: PendingFile): string {
  if (!isGroup(p)) return p.name;
  const kind = ctx.mm.t(p.group === "each" ? "bot_group_each" : "bot_group_album");
  return ctx.mm.t("bot_group_name", { kind, count: tracksOf(p).length });
}

/** The style step's text and keyboard. */
export function styleStep(ctx: BotContext, p: PendingFile) {
  const text = isGroup(p)
    ? ctx.mm.t("bot_choose_style_group", {
        kind: ctx.mm.t(p.group === "each" ? "bot_group_each" : "bot_group_album"),
        count: tracksOf(p).length,
      })
    : ctx.mm.t("bot_choose_style", { name: p.name });
  return [text, { reply_markup: styleKeyboard(ctx.mm.lang) }] as const;
}

/** The format step for `p`, naming the current target (preset or style) and the chosen options. */
export function formatStep(ctx: BotContext, p: PendingFile) {
  const style: StyleChoice = p.style && isStyle(p.style) ? p.style : "auto";
  const preset: PresetId | undefined = p.preset && isPresetId(p.preset) ? p.preset : undefined;
  const text = ctx.mm.t("bot_choose_format", {
    name: pendingName(ctx, p),
    target: targetText(ctx.mm.lang, { style, preset }),
  });
  // References apply to one track (an album's tracks share the album's chain instead).
  const references = isGroup(p) ? undefined : (p.references?.length ?? 0);
  return [
    text,
    { reply_markup: formatKeyboard(ctx.mm.lang, { preset, intensity: p.intensity, references }) },
  ] as const;
}

/** The engine settings the pending choices make, with `format`. */
export function settingsOf(
  p: Pick<PendingFile, "style" | "preset" | "intensity" | "match" | "references" | "group"> & {
    extra?: FileRef[];
  },
  format: FormatId,
): MasterSettings {
  const style = p.style && isStyle(p.style) ? p.style : "auto";
  const preset = p.preset && isPresetId(p.preset) ? p.preset : undefined;
  const match = (p.match ?? []).filter(isAspect);
  const group = (p.extra?.length ?? 0) > 0;
  return {
    style,
    format,
    ...(preset ? { preset } : {}),
    ...(isIntensity(p.intensity) ? { intensity: p.intensity } : {}),
    ...(!group && p.references?.length && match.length ? { reference: { match } } : {}),
    ...(group && p.group === "album" ? { album: true } : {}),
  };
}

/** An old keyboard or one from before a restart whose choice is gone: say so, do nothing. */
export async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.mm.t("bot_stale_button"), show_alert: false });
}
