// The fake Bot API must answer grammY's own client the way the real server does: if these fail, every bot
// test above them proves nothing.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api, GrammyError, InputFile } from "grammy";
import { FakeTelegram } from "../../fakes/telegram";

let fake: FakeTelegram;
let api: Api;
const alice = FakeTelegram.user(1001, { username: "alice", lang: "ru" });

beforeAll(async () => {
  fake = await FakeTelegram.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});
afterAll(() => fake.stop());

describe("FakeTelegram with grammY's Api", () => {
  it("answers getMe, and 401 Unauthorized for a wrong token", async () => {
    expect((await api.getMe()).username).toBe(fake.botInfo.username);
    const bad = new Api("999:wrong", { apiRoot: fake.apiRoot });
    const err = await bad.getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(401);
  });

  it("long-polls getUpdates: returns as soon as an update arrives and confirms below offset", async () => {
    // The poll may wait 300 s, far past this test's own timeout: it passes only if the update wakes it.
    const polls = fake.callsOf("getUpdates").length;
    const poll = api.getUpdates({ offset: 0, timeout: 300 });
    await fake.waitFor(() => fake.callsOf("getUpdates").length > polls, 10_000, "the long poll to arrive");
    fake.userSendsText(alice, "/start");
    const got = await poll;
    expect(got).toHaveLength(1);
    expect(got[0]?.message?.text).toBe("/start");
    const id = got[0]?.update_id ?? 0;
    expect(await api.getUpdates({ offset: id + 1, timeout: 0 })).toHaveLength(0);
    expect(fake.pendingUpdates).toBe(0);
  }, 60_000);

  it("honours limit and keeps unconfirmed updates for the next poll", async () => {
    fake.userSendsText(alice, "a");
    fake.userSendsText(alice, "b");
    const first = await api.getUpdates({ limit: 1, timeout: 0 });
    expect(first).toHaveLength(1);
    const again = await api.getUpdates({ timeout: 0 });
    expect(again.map((u) => u.message?.text)).toEqual(["a", "b"]);
    await api.getUpdates({ offset: (again[1]?.update_id ?? 0) + 1, timeout: 0 });
  });

  it("sends, edits (400 when not modified) and records messages", async () => {
    const m = await api.sendMessage(alice.id, "hello", {
      reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "d" }]] },
    });
    await api.editMessageText(alice.id, m.message_id, "hello 2");
    const err = await api.editMessageText(alice.id, m.message_id, "hello 2").catch((e: unknown) => e);
    expect((err as GrammyError).description).toContain("message is not modified");
    expect(fake.messagesTo(alice.id).at(-1)?.text).toBe("hello 2");
  });

  it("takes a multipart sendDocument upload and keeps bytes, name and caption", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-tg-"));
    const path = join(dir, "my song_master.wav");
    writeFileSync(path, new Uint8Array([1, 2, 3, 4, 5]));
    await api.sendDocument(alice.id, new InputFile(path, "my song_master.wav"), { caption: "done #ABC" });
    const doc = fake.documentsTo(alice.id).at(-1);
    expect(doc?.document?.file_name).toBe("my song_master.wav");
    expect(doc?.document?.bytes.length).toBe(5);
    expect(doc?.caption).toBe("done #ABC");
  });

  it("serves getFile + the download path, and refuses files over 20 MB", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-tg-"));
    const path = join(dir, "in.wav");
    writeFileSync(path, new Uint8Array(1000).fill(7));
    const msg = fake.userSendsAudio(alice, path, { as: "audio" });
    const fileId = (msg.audio as { file_id: string }).file_id;
    const file = await api.getFile(fileId);
    const res = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect((await res.arrayBuffer()).byteLength).toBe(1000);
    const big = fake.userSendsAudio(alice, path, { fileSize: 25 * 1024 * 1024 });
    const bigId = (big.document as { file_id: string }).file_id;
    const err = await api.getFile(bigId).catch((e: unknown) => e);
    expect((err as GrammyError).description).toContain("file is too big");
    await api.getUpdates({ offset: 1_000_000, timeout: 0 });
  });

  it("injects 429 with retry_after and 403 for a chat that blocked the bot", async () => {
    fake.failNextWith429("sendMessage", 1, 3);
    const e429 = (await api.sendMessage(alice.id, "x").catch((e: unknown) => e)) as GrammyError;
    expect(e429.error_code).toBe(429);
    expect(e429.parameters.retry_after).toBe(3);
    fake.blockBotFor(4242);
    const e403 = (await api.sendMessage(4242, "x").catch((e: unknown) => e)) as GrammyError;
    expect(e403.error_code).toBe(403);
    expect(e403.description).toContain("bot was blocked by the user");
  });

  it("stores setMyCommands per scope and language, and answers form-encoded bodies", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }], { language_code: "en" });
    expect(fake.commands.get(`${JSON.stringify({ type: "default" })}|en`)).toHaveLength(1);
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: String(alice.id), text: "form" }),
    });
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("fails waitFor loudly at the deadline", async () => {
    fake.minDeadlineMs = 0; // the floor would make this check take 30 s
    try {
      await expect(fake.waitFor(() => false, 100, "never")).rejects.toThrow(/timed out after 100 ms: never/);
    } finally {
      fake.minDeadlineMs = 30_000;
    }
  });
});
