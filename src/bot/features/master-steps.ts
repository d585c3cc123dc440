// The option steps of the mastering flow, each opened from the format step and returning to it: the
// intensity (low / medium / high), the reference tracks (sent as files while the step is open, up to 3,
// with the aspects to match), and the choice a group of tracks starts with (one album, or each on its own).

import { Composer } from "grammy";
import { MATCH_ASPECTS, MAX_REFERENCES } from "../../audio";
import type { BotContext, PendingFile } from "../context";
import { intensityKeyboard, isIntensity, referenceKeyboard } from "../keyboards";
import { formatStep, isAspect, isGroup, pendingFor, pendingName, stale, styleStep } from "./pending";

/** The reference step's text and keyboard: what is matched, and the references sent so far. */
export function referenceStep(ctx: BotContext, p: PendingFile) {
  const refs = p.references ?? [];
  const list = refs.length
    ? refs.map((r, i) => `${i + 1}. ${r.name}`).join(", ")
    : ctx.mm.t("bot_reference_list_empty");
  const text = ctx.mm.t("bot_reference_step", { name: p.name, max: MAX_REFERENCES, list });
  return [text, { reply_markup: referenceKeyboard(ctx.mm.lang, p.match, refs.length) }] as const;
}

export function masterStepsFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.callbackQuery("ik", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.mm.t("bot_choose_intensity", { name: pendingName(ctx, p) }), {
      reply_markup: intensityKeyboard(ctx.mm.lang, p.intensity),
    });
  });

  c.callbackQuery(/^in:([a-z]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const level = ctx.match[1];
    if (!p || !isIntensity(level)) return stale(ctx);
    p.intensity = level;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...formatStep(ctx, p));
  });

  // References: while the step is open the next files the user sends are references (master.ts).
  c.callbackQuery("rk", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p || isGroup(p)) return stale(ctx);
    p.awaitingReference = true;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...referenceStep(ctx, p));
  });

  c.callbackQuery(/^rm:([a-z]+)$/, async (ctx) => {
    const p = pendingFor(ctx);
    const aspect = ctx.match[1] ?? "";
    if (!p || !isAspect(aspect)) return stale(ctx);
    const on = p.match ?? [...MATCH_ASPECTS];
    const next = on.includes(aspect) ? on.filter((a) => a !== aspect) : [...on, aspect];
    if (next.length === 0) {
      await ctx.answerCallbackQuery({ text: ctx.mm.t("bot_match_needs_one") });
      return;
    }
    // In catalogue order; all four is the default and is stored as "no choice".
    const ordered = MATCH_ASPECTS.filter((a) => next.includes(a));
    p.match = ordered.length === MATCH_ASPECTS.length ? undefined : ordered;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...referenceStep(ctx, p));
  });

  c.callbackQuery("rc", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    p.references = undefined;
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...referenceStep(ctx, p));
  });

  c.callbackQuery("rd", async (ctx) => {
    const p = pendingFor(ctx);
    if (!p) return stale(ctx);
    p.awaitingReference = undefined;
    await ctx.answerCallbackQuery();
    // Opened before a style was picked (the step is reachable only from the format step, but an old
    // session may say otherwise): the style step comes first.
    await ctx.editMessageText(...(p.style ? formatStep(ctx, p) : styleStep(ctx, p)));
  });

  // A group of tracks: album (shared chain, relative loudness kept) or each on its own.
  c.callbackQuery(/^g([ae])$/, async (ctx) => {
    const p = pendingFor(ctx);
    if (!p || !isGroup(p)) return stale(ctx);
    p.group = ctx.match[1] === "a" ? "album" : "each";
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(...styleStep(ctx, p));
  });

  return c;
}
