// Updates given again to the next leader (Telegram's rule: an update stays pending until a later offset
// confirms it; a leader that dies before its next getUpdates leaves it pending). The fake's `redeliver`
// gives an already confirmed update to the next bot's first poll, the restarted bot on the same database
// plays the next leader. A text command is answered once (its id claimed before the handler), a file and
// a button press already handled are not run again (recorded after their handler), a press whose handler
// never finished is run again (not recorded), and every skip is logged as bot_update_replayed.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { buttonsOf, FakeTelegram } from "../../fakes/telegram";
import { makeMusic } from "../../fixtures/audio";
import { type BotHarness, drain, startBot } from "./harness";

const T = 120_000;
let h: BotHarness;
let song: string;

beforeAll(async () => {
  h = await startBot();
  song = await makeMusic(h.dir, { durationS: 2, name: "song.wav" });
}, T);
afterAll(() => h.stop());

const replayed = () => h.logs.filter((l) => l.event === "bot_update_replayed");
const helpAnswers = (chatId: number) =>
  h.fake.callsOf("sendMessage").filter((c) => Number(c.params.chat_id) === chatId);
const jobCount = () => h.dbh.sqlite.query<{ n: number }, []>("SELECT count(*) AS n FROM jobs").get()?.n;

describe("bot updates given again to the next leader", () => {
  it(
    "/help handled, then given again: answered once, the replay logged with its update id",
    async () => {
      const u = FakeTelegram.user(8601, { lang: "en" });
      h.fake.userSendsText(u, "/help");
      const helpId = h.fake.lastUpdateId;
      await h.fake.waitFor(() => helpAnswers(u.id).length === 1 || null, 20_000, "the /help answer");
      await drain(h, u);
      const before = replayed().length;
      await h.restartBot(() => h.fake.redeliver(helpId));
      await drain(h, u);
      expect(helpAnswers(u.id)).toHaveLength(1);
      expect(replayed().slice(before)).toEqual([
        expect.objectContaining({ update_id: helpId, telegram_id: u.id, gate: "before" }),
      ]);
    },
    T,
  );

  it(
    "a file and the format press handled, then both given again: no second keyboard, no second job",
    async () => {
      const u = FakeTelegram.user(8602, { lang: "en" });
      h.fake.userSendsAudio(u, song, { fileName: "song.wav" });
      const fileId = h.fake.lastUpdateId;
      const msg = await h.fake.waitFor(
        () =>
          h.fake.messagesTo(u.id).find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
        20_000,
        "style keyboard",
      );
      h.fake.userPressesButton(u, msg.message_id, "st:standard");
      await h.fake.waitFor(() => buttonsOf(msg).some((b) => b.callback_data === "fm:mp3"), 20_000, "formats");
      h.fake.userPressesButton(u, msg.message_id, "fm:mp3");
      const pressId = h.fake.lastUpdateId;
      await h.fake.waitFor(() => /Task #/.test(msg.text ?? "") || null, 60_000, "the task message");
      await drain(h, u);
      const jobs = jobCount();
      const messages = h.fake.messagesTo(u.id).length;
      const before = replayed().length;
      await h.restartBot(() => {
        h.fake.redeliver(fileId);
        h.fake.redeliver(pressId);
      });
      await drain(h, u);
      expect(jobCount()).toBe(jobs ?? -1);
      expect(h.fake.messagesTo(u.id)).toHaveLength(messages);
      expect(replayed().slice(before)).toEqual([
        expect.objectContaining({ update_id: fileId, gate: "after" }),
        expect.objectContaining({ update_id: pressId, gate: "after" }),
      ]);
    },
    T,
  );

  it(
    "a file whose handler never finished (not recorded) is handled again when given again",
    async () => {
      const u = FakeTelegram.user(8603, { lang: "en" });
      h.fake.userSendsAudio(u, song, { fileName: "song.wav" });
      const fileId = h.fake.lastUpdateId;
      const keyboards = () =>
        h.fake.messagesTo(u.id).filter((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard"));
      await h.fake.waitFor(() => keyboards()[0], 20_000, "style keyboard");
      await drain(h, u);
      const before = replayed().length;
      // What a leader killed inside the handler leaves: the update not recorded as handled, the session
      // as before the file (none).
      await h.restartBot(() => {
        h.dbh.sqlite.run("DELETE FROM bot_sessions WHERE key = ?1", [String(u.id)]);
        h.dbh.sqlite.run("DELETE FROM bot_updates WHERE update_id = ?1", [fileId]);
        h.fake.redeliver(fileId);
      });
      await h.fake.waitFor(() => keyboards().length === 2 || null, 20_000, "the file handled again");
      await drain(h, u);
      expect(replayed().slice(before)).toEqual([]);
    },
    T,
  );
});
