// The per-user rate-limit middleware with a fake clock: N messages per sliding minute pass, the first one
// over gets one warning, the rest are dropped silently; the window slides, users are independent, and
// button presses (callback queries) are never counted.

import { describe, expect, it } from "bun:test";
import type { BotContext } from "../../../src/bot";
import { rateLimit } from "../../../src/bot/middleware";

type Probe = { ctx: BotContext; replies: string[] };

function probe(userId: number, kind: "message" | "callback" = "message"): Probe {
  const replies: string[] = [];
  const ctx = {
    from: { id: userId },
    message: kind === "message" ? { text: "hi" } : undefined,
    callbackQuery: kind === "callback" ? { data: "x" } : undefined,
    mm: { t: (key: string) => key },
    reply: async (text: string) => {
      replies.push(text);
      return { message_id: 1 };
    },
  };
  return { ctx: ctx as unknown as BotContext, replies };
}

describe("rateLimit", () => {
  it("passes N per minute, warns once, drops the rest; slides; per user; callbacks not counted", async () => {
    let now = 1_000_000;
    const mw = rateLimit(3, () => now);
    let passed = 0;
    const next = async () => {
      passed++;
    };
    const warnings: string[] = [];
    const send = async (user: number, kind: "message" | "callback" = "message") => {
      const p = probe(user, kind);
      await mw(p.ctx, next);
      warnings.push(...p.replies);
    };

    for (let i = 0; i < 8; i++) {
      await send(1);
      now += 1000;
    }
    expect(passed).toBe(3);
    expect(warnings).toEqual(["bot_rate_limited"]);

    await send(2);
    await send(1, "callback");
    expect(passed).toBe(5);

    // At 61.5 s the messages from 0 s and 1 s have left the sliding window, the one from 2 s has not:
    // two more pass, the third is over the limit again.
    now = 1_000_000 + 61_500;
    await send(1);
    await send(1);
    expect(passed).toBe(7);
    await send(1);
    await send(1);
    expect(passed).toBe(7);
    // A fresh burst after being served again earns one new warning, not one per message.
    expect(warnings).toEqual(["bot_rate_limited", "bot_rate_limited"]);
  });
});
