// A bot group (three tracks sent as one media group, "each on its own") whose submit fails halfway — the
// second track's job insert faults (a trigger) — and whose press is then given again to a new leader, as
// Telegram does when the leader died before confirming it (the session as that leader left it, unsaved).
// The group is all or nothing: the failed attempt leaves no job and no upload, so the replay finds none of
// its tracks and queues all three, each exactly once (before, track 1 stayed behind and the replay stopped
// at it: tracks 2 and 3 were never queued).

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { buttonsOf, type FakeMessage, FakeTelegram } from "../../fakes/telegram";
import { makeMusic } from "../../fixtures/audio";
import { type BotHarness, drain, startBot } from "./harness";

const T = 180_000;
let h: BotHarness;
let files: string[];

beforeAll(async () => {
  h = await startBot();
  files = [];
  for (const name of ["One.wav", "Two.wav", "Three.wav"])
    files.push(await makeMusic(h.dir, { durationS: 2, name }));
}, T);
afterAll(() => h.stop());

const has = (m: FakeMessage, data: string) => buttonsOf(m).some((b) => b.callback_data === data);
const jobRows = () =>
  h.dbh.sqlite
    .query<{ key: string | null; name: string }, []>(
      "SELECT bot_update_key AS key, original_name AS name FROM jobs ORDER BY id",
    )
    .all();
type SessionRow = { key: string; value: string; updated_at: number };

describe("bot group replay after a failed submit", () => {
  it(
    "queues every track of the group exactly once when the press is replayed",
    async () => {
      const u = FakeTelegram.user(8501, { lang: "en" });
      const names = ["One.wav", "Two.wav", "Three.wav"];
      files.forEach((f, i) => {
        h.fake.userSendsAudio(u, f, { fileName: names[i], mediaGroupId: "mg-replay" });
      });
      const msg = await h.fake.waitFor(
        () => h.fake.messagesTo(u.id).find((m) => has(m, "ge") && m.text?.includes("Files received: 3")),
        20_000,
        "group message",
      );
      h.fake.userPressesButton(u, msg.message_id, "ge");
      await h.fake.waitFor(() => has(msg, "st:standard"), 10_000, "style step");
      h.fake.userPressesButton(u, msg.message_id, "st:standard");
      await h.fake.waitFor(() => has(msg, "fm:mp3"), 10_000, "format step");
      // What a leader dying inside the submit leaves: the session as saved before the press.
      const sessions = h.dbh.sqlite.query<SessionRow, []>("SELECT * FROM bot_sessions").all();

      h.dbh.sqlite.run(`CREATE TRIGGER jobs_fault BEFORE INSERT ON jobs WHEN NEW.original_name = 'Two.wav'
        BEGIN SELECT RAISE(ABORT, 'injected insert fault'); END`);
      h.fake.userPressesButton(u, msg.message_id, "fm:mp3");
      const pressId = h.fake.lastUpdateId;
      await h.fake.waitFor(
        () => h.fake.textsTo(u.id).find((x) => x.includes("was not accepted")),
        60_000,
        "the refusal",
      );
      await drain(h, u);
      expect(jobRows()).toEqual([]);
      expect(readdirSync(h.layout.uploads)).toEqual([]);

      // The next leader: the fault gone, the session unsaved, the press given again.
      h.dbh.sqlite.run("DROP TRIGGER jobs_fault");
      await h.restartBot(() => {
        h.dbh.sqlite.run("DELETE FROM bot_sessions");
        const put = h.dbh.sqlite.query(
          "INSERT INTO bot_sessions (key, value, updated_at) VALUES (?1, ?2, ?3)",
        );
        for (const s of sessions) put.run(s.key, s.value, s.updated_at);
        // Nor had it recorded the press as handled (bot_updates, written after a press's handler returns).
        h.dbh.sqlite.run("DELETE FROM bot_updates WHERE update_id = ?1", [pressId]);
        h.fake.redeliver(pressId);
      });
      await h.fake.waitFor(() => jobRows().length === 3 || null, 60_000, "3 jobs");
      await drain(h, u);
      expect(jobRows()).toEqual(names.map((name, i) => ({ key: `${u.id}:${pressId}:${i}`, name })));
      expect(h.logs.filter((l) => l.event === "bot_task_submitted")).toHaveLength(3);
      expect(h.logs.filter((l) => l.event === "bot_update_replayed")).toEqual([]);
    },
    T,
  );
});
