// One user across bot and web, end to end: the running service (startService) with the bot polling the
// fake Telegram Bot API and HTTP on loopback, real SQLite and ffmpeg. The code comes from the bot's /link
// reply, is entered over HTTP, and the bot and the web then show one balance, history and tier. Referral
// bonuses (web ref, bot deep link) once each, and a merge of inviter and invitee takes them back.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createSqliteLedger, type Ledger } from "../../../src/billing";
import { loadConfig } from "../../../src/config";
import { t } from "../../../src/i18n";
import { silentLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { buttonsOf, FakeTelegram, type FakeUser } from "../../fakes/telegram";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { waitFor } from "../../fixtures/wait";

let fake: FakeTelegram;
let s: RunningService;
let ledger: Ledger;
let dir: string;
let fx: string;
let wav: string;
let seq = 0;

type Json = Record<string, unknown>;
const post = (path: string, body: unknown, token?: string, lang = "en") =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-language": lang,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
const get = async (path: string, token: string) =>
  (await (await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Json;
const me = (token: string) => get("/api/auth/me", token);

/** A new web account, signed in: its session token and id. */
async function account(ref?: string): Promise<{ token: string; id: number; email: string }> {
  const email = `link${++seq}@example.com`;
  const password = "link-password-1";
  expect((await post("/api/auth/register", { email, password, ...(ref ? { ref } : {}) })).status).toBe(202);
  const b = (await (await post("/api/auth/login", { email, password })).json()) as {
    token: string;
    user: { id: number };
  };
  return { token: b.token, id: b.user.id, email };
}

let barrier = 0;
/**
 * Sends `text` and returns the texts of every reply to it. Updates of one chat are handled in order, so
 * once a button press sent after the text is answered, every reply to the text is there (no sleeping).
 */
async function replies(u: FakeUser, text: string): Promise<string[]> {
  const before = fake.messagesTo(u.id).length;
  fake.userSendsText(u, text);
  const q = fake.userPressesButton(u, 1, `zz-drain-${++barrier}`);
  await fake.waitFor(
    () => fake.answeredCallbacks.some((a) => a.callback_query_id === q.id),
    30_000,
    `the bot to handle ${text}`,
  );
  return fake
    .messagesTo(u.id)
    .slice(before)
    .map((m) => m.text ?? m.caption ?? "");
}
async function say(u: FakeUser, text: string): Promise<string> {
  const all = await replies(u, text);
  expect(all).toHaveLength(1);
  return all[0] ?? "";
}
async function linkCode(u: FakeUser): Promise<string> {
  const reply = await say(u, "/link");
  const code = /\b(\d{6})\b/.exec(reply)?.[1];
  if (!code) throw new Error(`no code in: ${reply}`);
  return code;
}

/** Masters `wav` through the bot (style, then format) and waits for the job to be done. */
async function masterViaBot(u: FakeUser): Promise<string> {
  const before = fake.messagesTo(u.id).length;
  fake.userSendsAudio(u, wav, { fileName: "take.wav" });
  const msg = await fake.waitFor(
    () =>
      fake
        .messagesTo(u.id)
        .slice(before)
        .find((m) => buttonsOf(m).some((b) => b.callback_data === "st:standard")),
    10_000,
    "style keyboard",
  );
  fake.userPressesButton(u, msg.message_id, "st:standard");
  await fake.waitFor(() => buttonsOf(msg).some((b) => b.callback_data === "fm:wav24"), 10_000, "formats");
  fake.userPressesButton(u, msg.message_id, "fm:wav24");
  const docs = fake.documentsTo(u.id).length;
  const id = await waitFor(() => /#([A-Z0-9]{4,})/.exec(msg.text ?? "")?.[1], { what: "a task id" });
  await waitFor(() => s.jobs.get(id)?.status === "done", { what: `task ${id} done`, timeoutMs: 120_000 });
  await waitFor(() => fake.documentsTo(u.id).length > docs, { what: `the result of ${id} delivered` });
  return id;
}

/** /balance with billing off: balance, tier, and "no limits". */
const balanceText = (balance: number) =>
  `${t("en", "bot_balance", { balance, tier: "free" })}\n\n${t("en", "bot_limits_off")}`;

const ledgerRows = (reason: string) =>
  s.dbh.sqlite
    .query<{ user_id: number; delta: number }, [string]>(
      "SELECT user_id, delta FROM ledger WHERE reason = ?1",
    )
    .all(reason);

beforeAll(async () => {
  fx = await tempDir();
  dir = await tempDir("mm-link-");
  wav = await makeMusic(fx, { durationS: 1 });
  fake = await FakeTelegram.start();
  const config = loadConfig({
    PORT: "0",
    MM_DATA_DIR: dir,
    MM_WORKERS: "1",
    MM_RATE_LIMIT_PER_MIN: "0",
    MM_BOT_TOKEN: fake.token,
    MM_TELEGRAM_API_ROOT: fake.apiRoot,
    MM_PUBLIC_URL: "https://mm.example.test",
  });
  s = await startService(config, silentLogger);
  await waitFor(() => s.bot.status() === "running", { what: "the bot polling" });
  // The test's own handle on the ledger of the same file (credits set up a balance to merge).
  ledger = createSqliteLedger(s.dbh, () => 0);
});
afterAll(async () => {
  await s.stop();
  await fake.stop();
  await cleanup(dir);
  await cleanup(fx);
});

describe("Telegram link", () => {
  it("a Telegram user who never linked is a user of its own on the free tier (/balance)", async () => {
    const u = FakeTelegram.user(81001);
    expect(await say(u, "/balance")).toBe(balanceText(0));
  });

  it("/link → code → web: one balance (moved once under a retry), one history, one tier", async () => {
    const u = FakeTelegram.user(81002, { username: "merger" });
    const jobId = await masterViaBot(u);
    const botUser = s.dbh.sqlite
      .query<{ id: number }, []>("SELECT id FROM users WHERE telegram_id = '81002'")
      .get();
    ledger.credit(botUser?.id ?? 0, 4, { note: "test balance", actor: "cli" });
    const web = await account();
    expect((await me(web.token)).telegram_linked).toBe(false);
    const code = await linkCode(u);
    // The same request twice at once (a double submit, a client retry): one merge.
    const answers = await Promise.all([
      post("/api/auth/telegram/link", { code }, web.token),
      post("/api/auth/telegram/link", { code }, web.token),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([400, 409]).toContain(statuses[1] ?? 0);
    const ok = answers.find((r) => r.status === 200);
    expect(await ok?.json()).toEqual({
      telegram_linked: true,
      telegram_username: "merger",
      moved_tokens: 4,
      moved_jobs: 1,
      balance: 4,
    });
    expect(await me(web.token)).toMatchObject({ telegram_linked: true, balance: 4, tier: "free" });
    expect(ledgerRows("link_out")).toEqual([{ user_id: botUser?.id ?? 0, delta: -4 }]);
    expect(ledgerRows("link_in")).toEqual([{ user_id: web.id, delta: 4 }]);
    // The bot is the web account now: same balance, the task in its history, /link says already linked.
    expect(await say(u, "/balance")).toBe(balanceText(4));
    expect(await say(u, "/history")).toContain(jobId);
    expect(s.jobs.get(jobId)).toMatchObject({ owner_key: `user:${web.id}`, user_id: web.id });
    expect(await say(u, "/link")).toBe(t("en", "bot_link_already", { email: `li***@example.com` }));
    // Another account entering the used code gets the wrong-code answer; this one is linked already.
    const other = await account();
    expect((await post("/api/auth/telegram/link", { code }, other.token)).status).toBe(400);
    const again = await post("/api/auth/telegram/link", { code: "123456" }, web.token);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("telegram_already_linked");

    // Unlink: the web account keeps what it has; Telegram starts over as a new free user.
    expect((await post("/api/auth/telegram/unlink", {}, web.token)).status).toBe(200);
    expect(await me(web.token)).toMatchObject({ telegram_linked: false, balance: 4 });
    const twice = await post("/api/auth/telegram/unlink", {}, web.token);
    expect(twice.status).toBe(409);
    expect(await say(u, "/balance")).toBe(balanceText(0));
    expect(await say(u, "/history")).toBe(t("en", "bot_history_empty"));
  }, 180_000);

  it("five wrong codes: each a 400 in the caller's language, then 429 even for the right code, which is dead for everyone", async () => {
    const u = FakeTelegram.user(81003);
    const guesser = await account();
    const code = await linkCode(u);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (let left = 4; left >= 0; left--) {
      const r = await post("/api/auth/telegram/link", { code: wrong }, guesser.token, "ru");
      expect(r.status).toBe(400);
      const message = t("ru", "telegram_code_invalid", { tries_left: left });
      expect(await r.json()).toEqual({ error: { code: "telegram_code_invalid", message }, detail: message });
    }
    const locked = await post("/api/auth/telegram/link", { code }, guesser.token);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe("telegram_link_locked");
    const owner = await account();
    expect((await post("/api/auth/telegram/link", { code }, owner.token)).status).toBe(400);
    expect((await me(owner.token)).telegram_linked).toBe(false);
    // A malformed code is a validation error, not a guess; no session is 401.
    expect((await post("/api/auth/telegram/link", { code: "12ab56" }, owner.token)).status).toBe(400);
    expect((await post("/api/auth/telegram/link", { code })).status).toBe(401);
    // The Telegram user asks again and links.
    const fresh = await linkCode(u);
    expect((await post("/api/auth/telegram/link", { code: fresh }, owner.token)).status).toBe(200);
  }, 60_000);
});

describe("referral", () => {
  it("bot deep link and web ref: invitee bonus once, inviter bonus once after the first done job", async () => {
    const inviter = await account();
    const link = await get("/api/referral/my-link", inviter.token);
    const code = String(link.referral_code);
    expect(link).toEqual({
      referral_code: code,
      referral_url: `https://mm.example.test/register?ref=${code}`,
      bot_referral_url: `https://t.me/${fake.botInfo.username}?start=ref_${code}`,
    });
    const u = FakeTelegram.user(82001);
    const welcome = t("en", "bot_welcome", { name: u.first_name });
    expect(await replies(u, `/start ref_${code}`)).toEqual([
      t("en", "bot_referral_welcome", { bonus: 2 }),
      welcome,
    ]);
    expect(await replies(u, `/start ref_${code}`)).toEqual([welcome]); // again: no second bonus
    expect(await say(u, "/balance")).toBe(balanceText(2));
    expect((await me(inviter.token)).balance).toBe(0);
    await masterViaBot(u);
    await waitFor(async () => (await me(inviter.token)).balance === 3, { what: "the inviter bonus" });
    await masterViaBot(u);
    const web = await account(code.toLowerCase());
    expect((await me(web.token)).balance).toBe(2);
    // Registering the known e-mail again with the code changes nothing.
    await post("/api/auth/register", { email: web.email, password: "other-password", ref: code });
    expect((await me(web.token)).balance).toBe(2);
    expect((await me(inviter.token)).balance).toBe(3);
    const inviterRows = ledgerRows("referral_inviter").filter((r) => r.user_id === inviter.id);
    expect(inviterRows).toEqual([{ user_id: inviter.id, delta: 3 }]);
    expect(await get("/api/referral/stats", inviter.token)).toMatchObject({
      total_invited: 2,
      total_rewarded: 1,
      bonus_invitee: 2,
      bonus_inviter: 3,
    });

    // Self-referral: linking the inviter's account with its own invitee's Telegram takes the bonuses back.
    const merged = await post("/api/auth/telegram/link", { code: await linkCode(u) }, inviter.token);
    expect(merged.status).toBe(200);
    expect((await me(inviter.token)).balance).toBe(0);
    const stats = (await get("/api/referral/stats", inviter.token)) as { referrals: { status: string }[] };
    expect(stats.referrals.map((r) => r.status).sort()).toEqual(["pending", "void"]);
  }, 240_000);
});
