// Tier limits at the bot's intake (MM_BILLING=on) through the fake Telegram Bot API, real SQLite, real
// ffmpeg: a bot user who never linked is "free" (1 master a week); the refusal is said in words, in the
// user's language, with when it resets, before the file is downloaded; a pro user without tokens is told
// so, and with one token is charged once.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { FakeTelegram, type FakeUser } from "../../fakes/telegram";
import { makeMusic } from "../../fixtures/audio";
import { listFiles } from "../../fixtures/files";
import { type BotHarness, sendAndChoose, startBot } from "./harness";

let h: BotHarness;
let track: string;

beforeAll(async () => {
  h = await startBot({ MM_BILLING: "on" });
  track = await makeMusic(h.dir, { durationS: 1, name: "Song.wav" });
});
afterAll(() => h.stop());

const userIdOf = (u: FakeUser): number =>
  h.dbh.sqlite
    .query<{ id: number }, [string]>("SELECT id FROM users WHERE telegram_id = ?1")
    .get(String(u.id))?.id ?? 0;
const charges = (userId: number) =>
  h.dbh.sqlite
    .query<{ n: number }, [number]>(
      "SELECT count(*) AS n FROM ledger WHERE user_id = ?1 AND reason = 'charge'",
    )
    .get(userId)?.n ?? 0;
const uploads = () => listFiles(h.layout.uploads).length;

/** Sends the track through style + format; resolves with the task message's text once it settles. */
async function submit(u: FakeUser, style = "standard", format = "wav24"): Promise<string> {
  const msg = await sendAndChoose(h, u, track, { fileName: "Song.wav", style, format });
  return h.fake.waitFor(
    () => (/Task #|Задача #|not accepted|не принят/.test(msg.text ?? "") ? msg.text : undefined),
    30_000,
    "queued or refused",
  );
}

describe("bot intake with tiers", () => {
  it("free: the first master is queued, the second refused in words (RU) with the reset, nothing downloaded", async () => {
    const u = FakeTelegram.user(7301, { lang: "ru" });
    expect(await submit(u)).toMatch(/#[A-Z0-9]{6}/);
    const downloads = h.fake.callsOf("getFile").length;
    const files = uploads();
    const text = await submit(u);
    expect(text).toContain("не принят");
    expect(text).toContain("Лимит тарифа free исчерпан");
    expect(text).toMatch(/после \d{4}-\d{2}-\d{2} 00:00 UTC/);
    expect(h.fake.callsOf("getFile").length).toBe(downloads);
    expect(uploads()).toBeLessThanOrEqual(files);
    expect(charges(userIdOf(u))).toBe(0);
  });

  it("pro without tokens is told so; with one token it is queued and charged once", async () => {
    const u = FakeTelegram.user(7302, { lang: "en" });
    h.fake.userSendsText(u, "/start");
    await h.fake.waitFor(() => (userIdOf(u) > 0 ? true : undefined), 10_000, "user row");
    const id = userIdOf(u);
    h.dbh.sqlite.run("UPDATE users SET tier = 'pro' WHERE id = ?1", [id]); // set-up: a paid tier
    const text = await submit(u);
    expect(text).toContain("not accepted");
    expect(text).toContain("Not enough tokens: 1 needed, balance 0");
    h.ledger.credit(id, 1, { note: "test", actor: "cli" });
    expect(await submit(u)).toMatch(/#[A-Z0-9]{6}/);
    expect(charges(id)).toBe(1);
    expect(h.ledger.balance(id)).toBe(0);
  });

  it("a style the tier lacks is refused before the download", async () => {
    const u = FakeTelegram.user(7303, { lang: "en" });
    h.fake.userSendsText(u, "/start");
    await h.fake.waitFor(() => (userIdOf(u) > 0 ? true : undefined), 10_000, "user row");
    h.tiers.set("free", ["styles=standard"], "test");
    try {
      const downloads = h.fake.callsOf("getFile").length;
      const text = await submit(u, "edm");
      expect(text).toContain("The style “edm” is not available on the free tier");
      expect(h.fake.callsOf("getFile").length).toBe(downloads);
    } finally {
      h.tiers.set("free", ["styles=all"], "test");
    }
  });
});
