// Telegram's two Bot API modes with a real >20 MB file (generated, 205 s of 24-bit stereo ≈ 54 MB).
// Local (MM_TELEGRAM_LOCAL_API=on against a fake `telegram-bot-api --local`): the bot takes the file
// (getFile answers an absolute path in the server's working directory, read from disk — the fake serves
// nothing over HTTP in this mode) and sends the >50 MB master back as a document. Cloud (the default): the
// same file is refused before any download with the 20 MB limit and the web upload link.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { statSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { buttonsOf, FakeTelegram } from "../../fakes/telegram";
import { makeMusic, measure } from "../../fixtures/audio";
import { type BotHarness, sendAndChoose, startBot } from "./harness";

const MB = 1024 * 1024;
const T = 600_000;
let local: BotHarness;
let cloud: BotHarness;
/** Local mode with the format limits raised past Telegram's own: its 2000 MB is then the limit. */
let wide: BotHarness;
let track: string;

beforeAll(async () => {
  local = await startBot({ MM_TELEGRAM_LOCAL_API: "on" }, { progressEditMs: 2000 });
  cloud = await startBot();
  wide = await startBot({
    MM_TELEGRAM_LOCAL_API: "on",
    MM_UPLOAD_MAX_MB_WAV: "4096",
    MM_UPLOAD_MAX_MB_FLAC: "4096",
    MM_UPLOAD_MAX_MB_LOSSY: "4096",
  });
  track = await makeMusic(local.dir, { durationS: 205, name: "Long Mix.wav" });
}, T);
afterAll(async () => {
  await local?.stop();
  await cloud?.stop();
  await wide?.stop();
});

describe("local Bot API server (MM_TELEGRAM_LOCAL_API=on)", () => {
  it(
    "takes a >20 MB file by its local path and sends the >50 MB master back as a document",
    async () => {
      const inBytes = statSync(track).size;
      expect(inBytes).toBeGreaterThan(50 * MB);
      const u = FakeTelegram.user(8101, { lang: "en" });
      const msg = await sendAndChoose(local, u, track, {
        fileName: "Long Mix.wav",
        style: "standard",
        format: "wav24",
      });
      const id = await local.fake.waitFor(
        () => /Task #([A-Z0-9]{6})/.exec(msg.text ?? "")?.[1],
        60_000,
        "task id",
      );
      // The file was read from the server's disk: getFile answered an absolute path, no HTTP download.
      const getFile = local.fake.callsOf("getFile");
      expect(getFile.length).toBe(1);
      expect(getFile[0]?.ok).toBe(true);
      expect(local.fake.callsOf("<download>")).toHaveLength(0);
      expect(local.fake.localDir && isAbsolute(local.fake.localDir)).toBe(true);
      const doc = await local.fake.waitFor(
        () => local.fake.documentsTo(u.id).at(-1),
        T - 120_000,
        "result document",
      );
      expect(doc.caption).toContain(`#${id}`);
      expect(doc.document?.file_name).toBe("Long Mix_master.wav");
      const outBytes = doc.document?.bytes.length ?? 0;
      console.log(`[bot local] in ${(inBytes / MB).toFixed(1)} MB, master ${(outBytes / MB).toFixed(1)} MB`);
      expect(outBytes).toBeGreaterThan(50 * MB);
      expect(local.fake.callsOf("sendDocument").every((c) => c.ok)).toBe(true);
      const out = join(local.dir, "local-received.wav");
      writeFileSync(out, doc.document?.bytes ?? new Uint8Array());
      const m = await measure(out);
      console.log(`[bot local] master: ${m.lufs.toFixed(2)} LUFS, TP ${m.tp.toFixed(2)} dBTP`);
      expect(Math.abs(m.lufs + 14)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(-1);
      expect(local.jobs.get(id)?.status).toBe("done");
    },
    T,
  );

  it("names the local limits: the format's upload limit (800 MB for WAV) instead of 20 MB", async () => {
    const u = FakeTelegram.user(8102, { lang: "en" });
    local.fake.userSendsText(u, "/master");
    const hint = await local.fake.waitFor(() => local.fake.textsTo(u.id).at(-1), 10_000, "send-a-file hint");
    expect(hint).toContain("up to 800 MB");
    local.fake.userSendsAudio(u, track, { fileName: "Huge.wav", fileSize: 900 * MB });
    const refusal = await local.fake.waitFor(
      () => local.fake.textsTo(u.id).find((x) => x.includes("Huge.wav")),
      10_000,
      "refusal",
    );
    expect(refusal).toContain("900 MB");
    expect(refusal).toContain("up to 800 MB");
    expect(refusal).toContain("https://mm.example.test/");
    expect(local.fake.callsOf("getFile")).toHaveLength(1); // only the first test's file
  });
});

describe("local Bot API server with the upload limits above 2000 MB", () => {
  it("takes files up to Telegram's local 2000 MB and refuses a larger one before fetching it", async () => {
    const u = FakeTelegram.user(8103, { lang: "en" });
    wide.fake.userSendsText(u, "/master");
    const hint = await wide.fake.waitFor(() => wide.fake.textsTo(u.id).at(-1), 10_000, "send-a-file hint");
    expect(hint).toContain("up to 2000 MB");
    wide.fake.userSendsAudio(u, track, { fileName: "Concert.wav", fileSize: 2100 * MB });
    const refusal = await wide.fake.waitFor(
      () => wide.fake.textsTo(u.id).find((x) => x.includes("Concert.wav")),
      10_000,
      "refusal",
    );
    expect(refusal).toContain("2100 MB");
    expect(refusal).toContain("up to 2000 MB");
    expect(wide.fake.callsOf("getFile")).toHaveLength(0);
  });
});

describe("cloud Bot API (default)", () => {
  it("refuses the same >20 MB file before downloading it, naming the 20 MB limit and the web upload", async () => {
    const u = FakeTelegram.user(8201, { lang: "en" });
    cloud.fake.userSendsAudio(u, track, { fileName: "Long Mix.wav" });
    const text = await cloud.fake.waitFor(() => cloud.fake.textsTo(u.id).at(-1), 10_000, "limit message");
    expect(text).toContain("Long Mix.wav");
    expect(text).toContain("20 MB");
    expect(text).toContain("https://mm.example.test/");
    expect(cloud.fake.messagesTo(u.id).some((m) => buttonsOf(m).length > 0)).toBe(false);
    expect(cloud.fake.callsOf("getFile")).toHaveLength(0);
    expect(cloud.fake.callsOf("<download>")).toHaveLength(0);
  });
});
