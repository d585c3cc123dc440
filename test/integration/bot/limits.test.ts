// Limits and memory: a result over the upload limit arrives as a download link (the limit is a dep, so a
// 2 s WAV exceeds it), the per-user rate limit answers one polite "slow down" and leaves other users alone,
// and a banned user's one refusal is remembered across a bot restart (SQLite session).

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { t } from "../../../src/i18n";
import { buttonsOf, FakeTelegram, type FakeUser } from "../../fakes/telegram";
import { makeMusic } from "../../fixtures/audio";
import { ADMIN_ID, type BotHarness, drain, sendAndChoose, startBot } from "./harness";

let h: BotHarness;
const T = 60_000;
const RATE = 4;
const admin = FakeTelegram.user(ADMIN_ID, { username: "boss", lang: "en" });

beforeAll(async () => {
  h = await startBot({ MM_BOT_RATE_PER_MIN: String(RATE) }, { uploadLimitBytes: 100_000 });
});
afterAll(() => h.stop());

const replyCount = (id: number) => h.fake.messagesTo(id).length;
const lastText = (id: number) => h.fake.textsTo(id).at(-1) ?? "";

/** Waits until the bot has handled everything these users sent (see drain): no sleep, no guess. */
async function settle(...users: FakeUser[]): Promise<void> {
  for (const u of users) await drain(h, u);
}

describe("bot limits", () => {
  it(
    "sends a result over the upload limit as a link with the job's token, naming the task, and no document",
    async () => {
      const u = FakeTelegram.user(7201, { lang: "en" });
      const track = await makeMusic(h.dir, { durationS: 2, name: "Big One.wav" });
      const msg = await sendAndChoose(h, u, track, {
        fileName: "Big One.wav",
        style: "standard",
        format: "wav24",
      });
      const id = await h.fake.waitFor(
        () => /Task #([A-Z0-9]{6})/.exec(msg.text ?? "")?.[1],
        10_000,
        "task id",
      );
      const link = await h.fake.waitFor(
        () => h.fake.textsTo(u.id).find((x) => x.includes("/api/jobs/")),
        60_000,
        "link message",
      );
      const token = h.jobs.accessToken(id) ?? "";
      expect(token.length).toBeGreaterThan(10);
      expect(link).toContain(
        `https://mm.example.test/api/jobs/${id}/result?token=${encodeURIComponent(token)}`,
      );
      expect(link).toContain(`#${id}`);
      expect(link).toContain("50 MB");
      expect(h.jobs.get(id)?.result_bytes ?? 0).toBeGreaterThan(100_000);
      expect(h.fake.callsOf("sendDocument")).toHaveLength(0);
      expect(h.fake.documentsTo(u.id)).toHaveLength(0);
      const linkMsg = h.fake.messagesTo(u.id).find((m) => m.text?.includes("/api/jobs/"));
      expect(linkMsg ? buttonsOf(linkMsg).map((b) => b.callback_data) : []).toEqual([
        `rs:${id}`,
        `rf:${id}`,
        `ra:${id}`,
      ]);
      // /status sends the link again, still no document.
      h.fake.userSendsText(u, `/status ${id}`);
      await h.fake.waitFor(
        () => h.fake.textsTo(u.id).filter((x) => x.includes("/api/jobs/")).length === 2,
        10_000,
        "second link",
      );
      expect(h.fake.callsOf("sendDocument")).toHaveLength(0);
    },
    T,
  );

  it(
    "answers messages over MM_BOT_RATE_PER_MIN with one polite 'slow down', ignores the rest, other users unaffected",
    async () => {
      const noisy = FakeTelegram.user(7202, { lang: "en" });
      const calm = FakeTelegram.user(7203, { lang: "en" });
      const slow = t("en", "bot_rate_limited");
      for (let i = 0; i < RATE + 6; i++) h.fake.userSendsText(noisy, "/help");
      h.fake.userSendsText(calm, "/help");
      await h.fake.waitFor(() => h.fake.textsTo(noisy.id).includes(slow), 5000, "slow-down reply");
      await h.fake.waitFor(() => h.fake.textsTo(calm.id).length > 0, 5000, "calm user served");
      await settle(noisy, calm);
      const texts = h.fake.textsTo(noisy.id);
      expect(texts.filter((x) => x === slow)).toHaveLength(1);
      expect(texts.filter((x) => x.includes("/master"))).toHaveLength(RATE);
      expect(texts).toHaveLength(RATE + 1);
      expect(h.fake.textsTo(calm.id)).toHaveLength(1);
      expect(lastText(calm.id)).toContain("/master");
      // Still over the limit inside the same minute: more messages stay silent (no second warning).
      for (let i = 0; i < 3; i++) h.fake.userSendsText(noisy, "/help");
      await settle(noisy);
      expect(h.fake.textsTo(noisy.id)).toHaveLength(RATE + 1);
      expect(h.logs.filter((l) => l.event === "bot_update_failed")).toHaveLength(0);
    },
    T,
  );

  it(
    "refuses a banned user exactly once, even across a bot restart, and a new ban refuses once again",
    async () => {
      const u = FakeTelegram.user(7204, { username: "persistent", lang: "en" });
      h.fake.userSendsText(u, "/start");
      await h.fake.waitFor(() => replyCount(u.id) > 0, 5000, "welcome");
      h.fake.userSendsText(admin, "/ban @persistent spam");
      await h.fake.waitFor(() => lastText(admin.id).includes("banned"), 5000, "ban confirmed");
      const before = replyCount(u.id);
      h.fake.userSendsText(u, "/help");
      h.fake.userSendsText(u, "/master");
      await h.fake.waitFor(() => replyCount(u.id) > before, 5000, "refusal");
      await settle(u);
      expect(replyCount(u.id)).toBe(before + 1);
      expect(lastText(u.id)).toBe(t("en", "bot_banned"));

      await h.restartBot();

      const track = join(h.dir, "b.wav");
      writeFileSync(track, new Uint8Array(64));
      h.fake.userSendsText(u, "/help");
      h.fake.userSendsAudio(u, track, { fileName: "b.wav" });
      const press = h.fake.userPressesButton(u, 1, "st:standard");
      const answer = await h.fake.waitFor(
        () => h.fake.answeredCallbacks.find((a) => a.callback_query_id === press.id),
        5000,
        "silent callback answer",
      );
      await settle(u);
      expect(replyCount(u.id)).toBe(before + 1);
      expect(answer.text).toBeUndefined();
      expect(h.jobs.listByOwner("tg:7204", 10)).toHaveLength(0);
      expect(h.logs.filter((l) => l.event === "bot_banned_refused" && l.user_id !== undefined)).toHaveLength(
        1,
      );

      // Unban, ban again: the new ban gets its own single refusal.
      h.fake.userSendsText(admin, "/unban @persistent");
      await h.fake.waitFor(() => lastText(admin.id).includes("unbanned"), 5000, "unban confirmed");
      // The new ban must carry a later timestamp than the first (the refusal is keyed by it): a clock
      // step, not a wait for anything to happen.
      await Bun.sleep(5);
      h.fake.userSendsText(admin, "/ban @persistent again");
      await h.fake.waitFor(
        () =>
          h.fake.textsTo(admin.id).filter((x) => x.includes("banned") && !x.includes("unbanned")).length >= 2,
        5000,
        "second ban",
      );
      h.fake.userSendsText(u, "/help");
      h.fake.userSendsText(u, "/help");
      await h.fake.waitFor(() => replyCount(u.id) > before + 1, 5000, "second refusal");
      await settle(u);
      expect(replyCount(u.id)).toBe(before + 2);
      expect(lastText(u.id)).toBe(t("en", "bot_banned"));
    },
    T,
  );
});
