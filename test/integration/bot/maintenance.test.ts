// Maintenance mode in the bot: new work is refused with the operator's message, commands keep working.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { FakeTelegram } from "../../fakes/telegram";
import { makeMusic } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

let h: BotHarness;
beforeAll(async () => {
  h = await startBot();
});
afterAll(() => h.stop());

describe("bot in maintenance mode", () => {
  it("answers a sent track with the operator's message and starts no job; /help still works", async () => {
    const u = FakeTelegram.user(7101, { lang: "ru" });
    h.settings.setMaintenance(true, "обновляем сервер до 15:00", "test");
    const track = await makeMusic(h.dir, { durationS: 1, name: "a.wav" });
    h.fake.userSendsAudio(u, track, { fileName: "a.wav" });
    const text = await h.fake.waitFor(
      () => h.fake.textsTo(u.id).find((t) => t.includes("обслуживании")),
      5000,
      "maintenance reply",
    );
    expect(text).toContain("обновляем сервер до 15:00");
    expect(h.jobs.listByOwner(`tg:${u.id}`, 10)).toEqual([]);
    expect(h.fake.callsOf("getFile").length).toBe(0);
    const before = h.fake.textsTo(u.id).length;
    h.fake.userSendsText(u, "/help");
    await h.fake.waitFor(() => h.fake.textsTo(u.id).length > before, 5000, "help reply");
    expect(h.fake.textsTo(u.id).at(-1)).not.toContain("обслуживании");
  }, 30_000);

  it("accepts files again once maintenance is off", async () => {
    const u = FakeTelegram.user(7102, { lang: "en" });
    h.settings.setMaintenance(false, undefined, "test");
    const track = await makeMusic(h.dir, { durationS: 1, name: "b.wav" });
    h.fake.userSendsAudio(u, track, { fileName: "b.wav" });
    const text = await h.fake.waitFor(() => h.fake.textsTo(u.id).at(-1), 5000, "style keyboard");
    expect(text).not.toContain("maintenance");
  }, 30_000);
});
