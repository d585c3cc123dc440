// Album mode in the bot, through the fake Bot API with real ffmpeg and SQLite: three tracks at known
// relative levels sent as one media group become one message offering "Album" / "Each on its own"; the
// album goes through the style and format steps once, runs as one album batch, delivers every track and
// then the album report with the batch's ZIP link. The received documents keep their relative loudness.
// Files sent one by one within the window form a group too; "Each on its own" makes a plain batch.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { batchTokenMatches } from "../../../src/jobs";
import { buttonsOf, type FakeMessage, FakeTelegram } from "../../fakes/telegram";
import { makeAlbumTracks, makeMusic, measure } from "../../fixtures/audio";
import { type BotHarness, startBot } from "./harness";

const T = 400_000;
const LEVELS = [-16, -20, -24];
let h: BotHarness;
let tracks: string[];

beforeAll(async () => {
  h = await startBot({}, { progressEditMs: 1000 });
  tracks = await makeAlbumTracks(h.dir, LEVELS, "Side A ");
}, T);
afterAll(() => h.stop());

const has = (m: FakeMessage, data: string) => buttonsOf(m).some((b) => b.callback_data === data);
const taskIds = (u: number) =>
  h.fake
    .messagesTo(u)
    .map((m) => /Task #([A-Z0-9]{6})/.exec([...m.history, m.text ?? ""].join("\n"))?.[1])
    .filter((x): x is string => x !== undefined);

describe("bot album mode", () => {
  it(
    "masters a media group as one album: shared steps, every track delivered, relative loudness kept, album report",
    async () => {
      const u = FakeTelegram.user(8401, { lang: "en" });
      tracks.forEach((t, i) => {
        h.fake.userSendsAudio(u, t, { fileName: `Side A ${i + 1}.wav`, mediaGroupId: "mg-1" });
      });
      const msg = await h.fake.waitFor(
        () => h.fake.messagesTo(u.id).find((m) => has(m, "ga") && m.text?.includes("Files received: 3")),
        20_000,
        "group message",
      );
      // One media group: one message edited as its files arrived, no style keyboard left behind.
      expect(h.fake.messagesTo(u.id)).toHaveLength(1);
      expect(msg.text).toContain("3. Side A 3.wav");
      h.fake.userPressesButton(u, msg.message_id, "ga");
      await h.fake.waitFor(() => has(msg, "st:auto"), 10_000, "style step");
      expect(msg.text).toContain("Album of 3 tracks");
      h.fake.userPressesButton(u, msg.message_id, "st:standard");
      await h.fake.waitFor(() => has(msg, "fm:wav24"), 10_000, "format step");
      expect(msg.text).toContain("Album, 3 tracks");
      expect(has(msg, "ik")).toBe(true);
      expect(has(msg, "rk")).toBe(false); // references are for one track; an album shares its chain
      h.fake.userPressesButton(u, msg.message_id, "fm:wav24");
      const ids = await h.fake.waitFor(
        () => (taskIds(u.id).length === 3 ? taskIds(u.id) : null),
        180_000,
        "3 tasks",
      );
      const jobs = ids.map((id) => h.jobs.get(id));
      const batch = jobs[0]?.batch_id ?? "";
      expect(batch).not.toBe("");
      for (const j of jobs) {
        expect(j?.batch_id).toBe(batch);
        expect(j?.settings).toMatchObject({ style: "standard", format: "wav24", album: true });
      }
      const report = await h.fake.waitFor(
        () => h.fake.textsTo(u.id).find((x) => x.includes("Album done")),
        T - 60_000,
        "album report",
      );
      const docs = h.fake.documentsTo(u.id);
      expect(docs).toHaveLength(3);
      expect(report).toContain("Album done: 3 of 3 tracks");
      for (const id of ids) expect(report).toContain(`#${id}`);
      expect(report).toContain("from the loudest");
      const link = /https:\/\/mm\.example\.test\/api\/v2\/batch\/([^/]+)\/zip\?token=(\S+)/.exec(report);
      expect(link?.[1]).toBe(batch);
      const tokens = ids.map((id) => h.jobs.accessToken(id) ?? "");
      expect(batchTokenMatches(tokens, decodeURIComponent(link?.[2] ?? ""))).toBe(true);
      // The report comes after the last track's document.
      const all = h.fake.messagesTo(u.id);
      const reportAt = all.findIndex((m) => m.text?.includes("Album done"));
      expect(all.findLastIndex((m) => m.document !== undefined)).toBeLessThan(reportAt);
      // Measured on what the user received: the relative levels are kept within 0.5 LU.
      const byName = new Map(docs.map((d) => [d.document?.file_name ?? "", d]));
      const got: number[] = [];
      for (let i = 0; i < 3; i++) {
        const d = byName.get(`Side A ${i + 1}_master.wav`);
        expect(d).toBeDefined();
        const out = join(h.dir, `album-got-${i}.wav`);
        writeFileSync(out, d?.document?.bytes ?? new Uint8Array());
        const m = await measure(out);
        expect(m.tp).toBeLessThanOrEqual(-1);
        got.push(m.lufs);
      }
      console.log(
        `[bot album] in ${LEVELS.join(", ")} → out ${got.map((x) => x.toFixed(2)).join(", ")} LUFS`,
      );
      expect(Math.abs((got[0] ?? 0) + 14)).toBeLessThanOrEqual(0.3);
      for (let i = 1; i < 3; i++) {
        const kept = (got[i] ?? 0) - (got[0] ?? 0) - ((LEVELS[i] ?? 0) - (LEVELS[0] ?? 0));
        expect(Math.abs(kept)).toBeLessThanOrEqual(0.5);
      }
    },
    T,
  );

  it(
    "groups files sent one by one within the window; each on its own makes a plain batch with the same settings",
    async () => {
      const u = FakeTelegram.user(8402, { lang: "en" });
      const a = await makeMusic(h.dir, { durationS: 3, name: "One.wav" });
      const b = await makeMusic(h.dir, { durationS: 3, name: "Two.wav" });
      h.fake.userSendsAudio(u, a, { fileName: "One.wav" });
      const first = await h.fake.waitFor(
        () => h.fake.messagesTo(u.id).find((m) => has(m, "st:auto")),
        10_000,
        "style step",
      );
      h.fake.userSendsAudio(u, b, { fileName: "Two.wav" });
      const group = await h.fake.waitFor(
        () => h.fake.messagesTo(u.id).find((m) => has(m, "ge") && m.text?.includes("Files received: 2")),
        10_000,
        "group message",
      );
      // The choice moved under the newest file: the first keyboard is gone.
      expect(group.message_id).not.toBe(first.message_id);
      expect(buttonsOf(first)).toHaveLength(0);
      h.fake.userPressesButton(u, group.message_id, "ge");
      await h.fake.waitFor(() => group.text?.includes("Batch of 2 tracks"), 10_000, "style step");
      h.fake.userPressesButton(u, group.message_id, "st:standard");
      await h.fake.waitFor(() => has(group, "fm:mp3"), 10_000, "format step");
      h.fake.userPressesButton(u, group.message_id, "fm:mp3");
      const ids = await h.fake.waitFor(
        () => (taskIds(u.id).length === 2 ? taskIds(u.id) : null),
        180_000,
        "2 tasks",
      );
      const jobs = ids.map((id) => h.jobs.get(id));
      expect(jobs[0]?.batch_id).toBeTruthy();
      expect(jobs[1]?.batch_id).toBe(jobs[0]?.batch_id ?? "");
      for (const j of jobs) {
        expect(j?.settings.album).toBeUndefined();
        expect(j?.settings).toMatchObject({ style: "standard", format: "mp3" });
      }
      await h.fake.waitFor(() => h.fake.documentsTo(u.id).length === 2, T / 2, "two documents");
      expect(
        h.fake
          .documentsTo(u.id)
          .map((d) => d.document?.file_name)
          .sort(),
      ).toEqual(["One_master.mp3", "Two_master.mp3"]);
      // A plain batch has no album report.
      await h.fake.waitFor(() => ids.every((id) => h.jobs.get(id)?.status === "done"), 30_000, "done");
      expect(h.fake.textsTo(u.id).some((x) => x.includes("Album done"))).toBe(false);
    },
    T,
  );
});
