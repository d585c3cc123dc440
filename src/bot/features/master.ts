// Mastering: a file arrives (audio, voice or document) → style keyboard → format keyboard → task queued.
// The format step's first button ("📡 Platform: by style ▸") opens the platform-preset step and comes back,
// so the default stays two taps (style, format) and a preset costs two more. Every choice lives in the
// SQLite session, so it survives a restart. Also the buttons under a result: another style, other format,
// analyse result. Files are referenced by Telegram file id and downloaded only when the task is submitted.

import { Composer } from "grammy";
import { FORMAT_IDS, type FormatId, type PresetId, STYLE_IDS, type StyleId } from "../../audio";
import type { BotContext, PendingFile, RecentInput } from "../context";
import { looksLikeAudio, submitFromTelegram, tooBigText } from "../intake";
import { formatKeyboard, isPresetId, menuLabels, presetKeyboard, styleKeyboard } from "../keyboards";
import { analysisReport, targetText } from "../report";
import { type BotServices, ownerKeyOf } from "../services";
import { botLimitMb } from "../telegram-files";

const MAX_RECENT = 10;

/** Remembers what a task was made from, so its result buttons can start again without a new upload. */
export function rememberInput(ctx: BotContext, r: RecentInput): void {
  const list = (ctx.session.recent ?? []).filter((x) => x.jobId !== r.jobId);
  ctx.session.recent = [r, ...list].slice(0, MAX_RECENT);
}

/** A style id, or "auto" (the suggested default: the engine picks from the analysis). */
type StyleChoice = StyleId | "auto";
const isStyle = (s: string): s is StyleChoice => s === "auto" || (STYLE_IDS as readonly string[]).includes(s);
const isFormat = (s: string): s is FormatId => (FORMAT_IDS as readonly string[]).includes(s);

export function masterFeature(svc: BotServices): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command("master", (ctx) => {
    ctx.session.mode = "master";
    return ctx.reply(ctx.mm.t("bot_send_file", { mb: botLimitMb(svc.config) }));
  });
  c.hears(menuLabels("bot_menu_master"), (ctx) => {
    ctx.session.mode = "master";
    return ctx.reply(ctx.mm.t("bot_send_file", { mb: botLimitMb(svc.config) }));
  });

  c.on(["message:audio", "message:voice", "message:document"], async (ctx) => {
    const m = ctx.message;
    const f = m.audio ?? m.voice ?? m.document;
    if (!f) return;
    const name =
      ("file_name" in f && f.file_name) ||
      (m.voice ? `voice_${m.date}.ogg` : `audio_${m.date}.${extFromMime(f.mime_type)}`);
    if (!looksLikeAudio(name, f.mime_type)) return ctx.reply(ctx.mm.t("bot_not_audio", { name }));
    const size = f.file_size ?? 0;
    const input = { fileId: f.file_id, name, size };
    const refusal = tooBigText(ctx, svc, input);
    if (refusal) return ctx.reply(refusal, { link_preview_options: { is_disabled: true } });
    if (ctx.session.mode === "analyze") {
      ctx.session.mode = undefined;
      await submitFromTelegram(ctx, svc, input, "measure", {});
      return;
    }
    const msg = await ctx.reply(ctx.mm.t("bot_choose_style", { name }), {
      reply_markup: styleKeyboard(ctx.mm.lang),
    });
    ctx.session.pending = { ...input, messageId: msg.message_id, at: svc.now() };
  });

  /** The format step for `p`, naming the current target (preset or style). */
  const formatStep = (ctx: BotContext, p: PendingFile) => {
    const style: StyleChoice = p.style && isStyle(p.style) ? p.style : "auto";
    const preset: PresetId | undefined = p.preset && isPresetId(p.preset) ? p.preset : undefined;
    const text = ctx.mm.t("bot_choose_format", {
      name: p.name,
      target: targetText(ctx.mm.lang, { style, preset }),
    });
    return [text, { reply_markup: formatKeyboard(ctx.mm.lang, preset) }] as const;
  };

  const pendingFor = (ctx: BotContext): PendingFile | undefined => {
    const p = ctx.session.pending;
    const msgId = ctx.callbackQuery?.message?.message_id;
    return p && p.messageId === msgId ? p : undefined;
  };

  c.callbackQuery(/^st:([a-z0-9_-]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const style = ctx.match[1] ?? "";
    if (!p || !isStyle(style)) return stale(ctx);
    p.style = style;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  // The platform step: opened from the format step, returns to it with the choice shown on its button.
  c.callbackQuery("pk", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.mm.t("bot_choose_preset", { name: p.name }), {
      reply_markup: presetKeyboard(ctx.mm.lang, p.preset),
    });
  });

  c.callbackQuery(/^ps:([a-z0-9-]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const preset = ctx.match[1] ?? "";
    if (!p || (preset !== "style" && !isPresetId(preset))) return stale(ctx);
    p.preset = preset === "style" ? undefined : preset;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  c.callbackQuery("pb", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  c.callbackQuery("bk", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    p.style = undefined;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.mm.t("bot_choose_style", { name: p.name }), {
      reply_markup: styleKeyboard(ctx.mm.lang),
    });
  });

  c.callbackQuery(/^fm:([a-z0-9]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const format = ctx.match[1] ?? "";
    if (!p || !isFormat(format)) return stale(ctx);
    await ctx.answerCallbackQuery();
    ctx.session.pending = undefined;
    const style = p.style ?? "standard";
    const preset = p.preset && isPresetId(p.preset) ? p.preset : undefined;
    const job = await submitFromTelegram(
      ctx,
      svc,
      p,
      "master",
      { style: isStyle(style) ? style : "auto", format, ...(preset ? { preset } : {}) },
      p.messageId,
    );
    if (job)
      rememberInput(ctx, {
        jobId: job.id,
        fileId: p.fileId,
        name: p.name,
        size: p.size,
        style,
        preset,
        format,
      });
  });

  c.callbackQuery("an", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    ctx.session.pending = undefined;
    await submitFromTelegram(ctx, svc, p, "measure", {}, p.messageId);
  });

  // Buttons under a result. Old results whose input the session no longer knows answer "send it again".
  const recentFor = (ctx: BotContext, jobId: string) => ctx.session.recent?.find((r) => r.jobId === jobId);

  c.callbackQuery(/^rs:([A-Z0-9]+)$/, async (ctx) => {
    const r = recentFor(ctx, ctx.match[1] ?? "");
    if (!r) return stale(ctx);
    await ctx.answerCallbackQuery();
    const msg = await ctx.reply(ctx.mm.t("bot_choose_style", { name: r.name }), {
      reply_markup: styleKeyboard(ctx.mm.lang),
    });
    ctx.session.pending = {
      fileId: r.fileId,
      name: r.name,
      size: r.size,
      preset: r.preset,
      messageId: msg.message_id,
      at: svc.now(),
    };
  });

  c.callbackQuery(/^rf:([A-Z0-9]+)$/, async (ctx) => {
    const r = recentFor(ctx, ctx.match[1] ?? "");
    if (!r) return stale(ctx);
    await ctx.answerCallbackQuery();
    const next: PendingFile = {
      fileId: r.fileId,
      name: r.name,
      size: r.size,
      style: r.style,
      preset: r.preset,
      at: svc.now(),
    };
    const msg = await ctx.reply(...formatStep(ctx, next));
    ctx.session.pending = { ...next, messageId: msg.message_id };
  });

  c.callbackQuery(/^ra:([A-Z0-9]+)$/, async (ctx) => {
    const job = svc.jobs.get(ctx.match[1] ?? "");
    if (!job || job.owner_key !== ownerKeyOf(ctx.mm.user)) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.reply(analysisReport(ctx.mm.lang, job.id, job.analysis_after, "bot_analysis_result_title"));
  });

  return c;
}

/** An old keyboard or one from before a restart whose choice is gone: say so, do nothing. */
export async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.mm.t("bot_stale_button"), show_alert: false });
}

function extFromMime(mime: string | undefined): string {
  if (!mime) return "bin";
  const map: Record<string, string> = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/flac": "flac",
    "audio/x-flac": "flac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/aac": "aac",
    "audio/aiff": "aiff",
    "audio/x-aiff": "aiff",
  };
  return map[mime] ?? "bin";
}
