// The Telegram link and the referral programme on a real SQLite file with the real ledger and job
// service, and a clock the test moves: code expiry, the 5-strike code death whoever guesses, the account
// lock and its end, one balance move under a retry, jobs re-pointed, the tier rule, referral bonuses once,
// self-referral refused and voided by a merge.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import {
  betterTier,
  botCaller,
  createReferral,
  createSqliteAccountStores,
  createTelegramLink,
  createTiers,
  LINK_CODE_TTL_MS,
  type Referral,
  type TelegramLink,
} from "../../../src/accounts";
import { limitLines } from "../../../src/bot/features/account";
import { isAppError } from "../../../src/errors";
import { t } from "../../../src/i18n";
import { createJobService, type JobService } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { stagedRequest } from "../../fixtures/submit";
import { type LedgerWorld, ledgerWorld } from "../billing/fixture";

let w: LedgerWorld;
let clock: number;
let jobs: JobService;
let link: TelegramLink;
let referral: Referral;
let webSeq = 0;

const codeOf = (e: unknown) => (isAppError(e) ? `${e.status} ${e.code}` : String(e));
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return codeOf(e);
  }
  throw new Error("expected a refusal");
}
/** A six-digit code that is not `code` (a wrong guess). */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
const rows = (reason: string) =>
  w.dbh.sqlite
    .query<{ user_id: number; delta: number; ref: string }, [string]>(
      "SELECT user_id, delta, ref FROM ledger WHERE reason = ?1 ORDER BY id",
    )
    .all(reason);

function webUser(): number {
  const u = createSqliteAccountStores(w.dbh).auth.createUser(`web${++webSeq}@example.com`, "x", clock);
  if (!u) throw new Error("user");
  return u.id;
}
const user = (id: number) => w.accounts.find(`#${id}`);

beforeEach(() => {
  w = ledgerWorld();
  clock = 1_800_000_000_000;
  jobs = w.jobs();
  referral = createReferral({
    stores: createSqliteAccountStores(w.dbh),
    log: silentLogger,
    bonuses: { invitee: 2, inviter: 3 },
    grant: w.ledger.grantOnce,
    take: w.ledger.takeOnce,
    amountOf: w.ledger.amountOf,
    publicUrl: "https://mm.example.test/",
    botUsername: () => "mm_bot",
    now: () => clock,
  });
  link = createTelegramLink({
    stores: createSqliteAccountStores(w.dbh),
    log: silentLogger,
    moveBalance: (f, t, ref) => w.ledger.moveAll(f, t, { reason: "link", ref, actor: "system" }),
    reassignJobs: jobs.reassignOwner,
    onMerged: referral.onMerged,
    now: () => clock,
  });
});
afterEach(() => w.close());

describe("link codes", () => {
  it("a code expires after 15 minutes: the right digits then count as a wrong try", () => {
    const bot = w.user(501, "free");
    const web = webUser();
    const { code, expiresAt } = link.issueCode({ id: bot, email: null });
    expect(code).toMatch(/^\d{6}$/);
    expect(expiresAt - clock).toBe(LINK_CODE_TTL_MS);
    clock += LINK_CODE_TTL_MS;
    expect(refusal(() => link.link(web, code))).toBe("400 telegram_code_invalid");
    expect(user(web)?.telegramId).toBeNull();
    clock -= 1; // the same code one millisecond before its end would have worked
    const again = link.issueCode({ id: bot, email: null });
    clock += LINK_CODE_TTL_MS - 1;
    expect(link.link(web, again.code).moved_jobs).toBe(0);
    expect(user(web)?.telegramId).toBe("501");
  });

  it("five wrong codes from five different accounts kill a code: no identity gets a sixth guess", () => {
    const bot = w.user(502, "free");
    const { code } = link.issueCode({ id: bot, email: null });
    for (let i = 0; i < 5; i++) {
      const guesser = webUser();
      expect(refusal(() => link.link(guesser, wrong(code)))).toBe("400 telegram_code_invalid");
    }
    const owner = webUser();
    expect(refusal(() => link.link(owner, code))).toBe("400 telegram_code_invalid");
    // A new code for the same Telegram user works.
    const fresh = link.issueCode({ id: bot, email: null });
    link.link(owner, fresh.code);
    expect(user(owner)?.telegramId).toBe("502");
  });

  it("five wrong codes lock the account for 15 minutes (even the right code), then it may try again", () => {
    const web = webUser();
    const bot = w.user(503, "free");
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      expect(refusal(() => link.link(web, "000000"))).toBe("400 telegram_code_invalid");
    }
    const { code } = link.issueCode({ id: bot, email: null });
    let err: unknown;
    try {
      link.link(web, code);
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).toBe("429 telegram_link_locked");
    // Locked until the first of the five failures is 15 minutes old.
    expect(isAppError(err) && err.params.retry_after).toBe(15 * 60 - 4);
    clock += 15 * 60_000 - 4000;
    const fresh = link.issueCode({ id: bot, email: null });
    link.link(web, fresh.code);
    expect(user(web)?.telegramId).toBe("503");
  });

  it("a used code cannot be used again; an account links one Telegram; unlink frees it", () => {
    const a = webUser();
    const b = webUser();
    const bot = w.user(504, "free");
    const { code } = link.issueCode({ id: bot, email: null });
    link.link(a, code);
    expect(refusal(() => link.link(b, code))).toBe("400 telegram_code_invalid");
    expect(refusal(() => link.link(a, code))).toBe("409 telegram_already_linked");
    // The merged account is a web account now: /link says "already linked" instead of a code.
    const merged = w.accounts.findByTelegramId(504);
    expect(merged?.id).toBe(a);
    expect(refusal(() => link.issueCode({ id: a, email: merged?.email ?? null }))).toBe(
      "409 telegram_already_linked",
    );
    link.unlink(a);
    expect(refusal(() => link.unlink(a))).toBe("409 telegram_not_linked");
    // The Telegram user writing again is a new Telegram-only user on the free tier.
    const again = w.accounts.seenTelegramUser({ id: 504 });
    expect(again.id).not.toBe(a);
    expect(again.id).not.toBe(bot);
    expect(again.tier).toBe("free");
    expect(w.ledger.balance(again.id)).toBe(0);
  });
});

describe("the merge", () => {
  it("moves the balance once (two ledger rows, unique ref), re-points every job, refunds follow the jobs", () => {
    const bot = w.user(601, "pro"); // pro pays 1 token a master
    const web = webUser();
    w.ledger.credit(bot, 7, { note: "test", actor: "cli" });
    w.ledger.credit(web, 1, { note: "test", actor: "cli" });
    const tg = { ownerKey: "tg:601", userId: bot, source: "bot" as const };
    const a = jobs.submit(stagedRequest(w.layout.uploads, "a", tg));
    const b = jobs.submit(stagedRequest(w.layout.uploads, "b", tg));
    expect(w.ledger.balance(bot)).toBe(5);
    const { code } = link.issueCode({ id: bot, email: null });
    const out = link.link(web, code);
    expect(out).toEqual({ telegram_username: "u601", moved_tokens: 5, moved_jobs: 2 });
    expect(w.ledger.balance(web)).toBe(6);
    expect(w.ledger.balance(bot)).toBe(0);
    for (const id of [a.id, b.id]) {
      expect(jobs.get(id)?.owner_key).toBe(`user:${web}`);
      expect(jobs.get(id)?.user_id).toBe(web);
    }
    expect(
      jobs
        .listByOwner(`user:${web}`, 10)
        .map((j) => j.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    // A job charged before the link and cancelled after refunds the merged account.
    jobs.cancel(a.id, "test");
    expect(w.ledger.balance(web)).toBe(7);
    expect(w.ledger.balance(bot)).toBe(0);
    // A retry of the move (a replayed merge) moves nothing: the (reason, ref) rows exist.
    w.ledger.credit(bot, 5, { note: "late", actor: "cli" });
    expect(w.ledger.moveAll(bot, web, { reason: "link", ref: `user:${bot}`, actor: "system" })).toBe(0);
    expect(rows("link_out")).toEqual([{ user_id: bot, delta: -5, ref: `user:${bot}` }]);
    expect(rows("link_in")).toEqual([{ user_id: web, delta: 5, ref: `user:${bot}` }]);
    expect(user(web)?.tier).toBe("pro");
  });

  it("the better tier wins with its expiry; equal tiers keep the later expiry", () => {
    expect(betterTier({ tier: "free", tierExpiresAt: null }, { tier: "pro", tierExpiresAt: 5 })).toEqual({
      tier: "pro",
      tierExpiresAt: 5,
    });
    expect(betterTier({ tier: "studio", tierExpiresAt: 9 }, { tier: "pro", tierExpiresAt: null })).toEqual({
      tier: "studio",
      tierExpiresAt: 9,
    });
    expect(
      betterTier({ tier: "pro", tierExpiresAt: 5 }, { tier: "pro", tierExpiresAt: 8 }).tierExpiresAt,
    ).toBe(8);
    expect(
      betterTier({ tier: "pro", tierExpiresAt: 5 }, { tier: "pro", tierExpiresAt: null }).tierExpiresAt,
    ).toBe(null);
    const bot = w.user(602, "studio");
    const web = webUser();
    link.link(web, link.issueCode({ id: bot, email: null }).code);
    expect(user(web)?.tier).toBe("studio");
    expect(user(bot)?.tier).toBe("free");
  });
});

describe("referral", () => {
  it("invitee bonus once at sign-up, inviter bonus once after the first done job, own code refused", () => {
    const inviter = webUser();
    const code = referral.codeOf(inviter);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(referral.myLink(inviter)).toEqual({
      referral_code: code,
      referral_url: `https://mm.example.test/register?ref=${code}`,
      bot_referral_url: `https://t.me/mm_bot?start=ref_${code}`,
    });
    expect(referral.attach(inviter, code, "web")).toBe("self");
    const invitee = webUser();
    expect(referral.attach(invitee, code.toLowerCase(), "web")).toBe("ok");
    expect(referral.attach(invitee, code, "web")).toBe("already");
    expect(referral.attach(webUser(), "NOSUCHCODE", "web")).toBe("unknown_code");
    expect(w.ledger.balance(invitee)).toBe(2);
    expect(referral.stats(inviter).referrals.map((r) => r.status)).toEqual(["pending"]);
    referral.onJobDone(invitee);
    referral.onJobDone(invitee);
    expect(referral.recover(() => true)).toBe(0);
    expect(w.ledger.balance(inviter)).toBe(3);
    expect(rows("referral_invitee")).toHaveLength(1);
    expect(rows("referral_inviter")).toEqual([
      { user_id: inviter, delta: 3, ref: expect.stringMatching(/^referral:\d+$/) },
    ]);
    expect(referral.stats(inviter)).toMatchObject({ total_invited: 1, total_rewarded: 1 });
  });

  it("linking the inviter's web account with its invitee's Telegram voids the referral and takes the bonuses back", () => {
    const web = webUser();
    const code = referral.codeOf(web);
    const bot = w.user(701, "free");
    expect(referral.attach(bot, code, "bot")).toBe("ok");
    referral.onJobDone(bot); // the Telegram user's first master paid the inviter
    expect(w.ledger.balance(bot) + w.ledger.balance(web)).toBe(5);
    link.link(web, link.issueCode({ id: bot, email: null }).code);
    expect(w.ledger.balance(web)).toBe(0);
    expect(rows("referral_void")).toEqual([
      { user_id: web, delta: -5, ref: expect.stringMatching(/^referral:/) },
    ]);
    expect(referral.stats(web)).toMatchObject({ total_invited: 0, referrals: [{ status: "void" }] });
  });

  it("a Telegram user's own referrals follow it into the web account", () => {
    const bot = w.user(702, "free");
    const code = referral.codeOf(bot);
    const friend = webUser();
    expect(referral.attach(friend, code, "web")).toBe("ok");
    const web = webUser();
    link.link(web, link.issueCode({ id: bot, email: null }).code);
    expect(referral.stats(web).total_invited).toBe(1);
    // The old code still works for new invitees, crediting the merged account as inviter.
    const late = webUser();
    expect(referral.attach(late, code, "web")).toBe("ok");
    referral.onJobDone(late);
    expect(w.ledger.balance(web)).toBe(3);
  });
});

describe("/balance limits in words", () => {
  it("renders the tiers service's view of a free Telegram user and of a pro one (billing on)", () => {
    const wed = Date.UTC(2026, 11, 2, 10);
    const tiers = createTiers({
      stores: createSqliteAccountStores(w.dbh),
      log: silentLogger,
      billing: "on",
      balanceOf: w.ledger.balance,
      now: () => wed,
    });
    const row = (id: number) => {
      const u = user(id);
      if (!u) throw new Error("user");
      return u;
    };
    const viewOf = (id: number) => tiers.limitsFor(botCaller(row(id)));
    const en = (key: string, params?: Record<string, string | number>) => t("en", key, params);
    const free = w.user(801, "free");
    expect(limitLines(en, viewOf(free))).toEqual([
      t("en", "bot_limits_masters", { used: 0, limit: 1, period: "week", resets: "2026-12-07 00:00" }),
      t("en", "bot_limits_remaining", { n: 1 }),
      t("en", "bot_limits_upload", { mb: 100 }),
    ]);
    const pro = w.user(802, "pro");
    w.ledger.credit(pro, 4, { note: "test", actor: "cli" });
    const lines = limitLines(en, viewOf(pro));
    expect(lines).toContain(t("en", "bot_limits_cost", { tokens: 1 }));
    expect(lines).toContain(t("en", "bot_limits_daily", { used: 0, limit: 10 }));
    expect(lines).toContain(t("en", "bot_limits_upload", { mb: 300 }));
    const off = createTiers({
      stores: createSqliteAccountStores(w.dbh),
      log: silentLogger,
      billing: "off",
      now: () => wed,
    });
    const offView = off.limitsFor(botCaller(row(free)));
    expect(limitLines(en, offView)).toEqual([t("en", "bot_limits_off")]);
  });
});

describe("usage follows the merge", () => {
  it("the Telegram user's counted master this week counts for the web account after /link", async () => {
    const wed = Date.UTC(2026, 11, 2, 10);
    const tiers = createTiers({
      stores: createSqliteAccountStores(w.dbh),
      log: silentLogger,
      billing: "on",
      balanceOf: w.ledger.balance,
      now: () => wed,
    });
    const counted = createJobService({
      dbh: w.dbh,
      config: w.config(),
      log: silentLogger,
      layout: w.layout,
      billing: tiers.seam(w.ledger),
      now: () => wed,
    });
    const merging = createTelegramLink({
      stores: createSqliteAccountStores(w.dbh),
      log: silentLogger,
      moveBalance: (f, to, ref) => w.ledger.moveAll(f, to, { reason: "link", ref, actor: "system" }),
      reassignJobs: counted.reassignOwner,
      onMerged: (b, web) => void tiers.mergeUsage(b, web),
      now: () => wed,
    });
    const bot = w.user(901, "free");
    counted.submit(stagedRequest(w.layout.uploads, "u", { ownerKey: "tg:901", userId: bot, source: "bot" }));
    const web = webUser();
    const before = user(web);
    if (!before) throw new Error("user");
    expect(tiers.limitsFor(botCaller(before)).masters.used).toBe(0);
    merging.link(web, merging.issueCode({ id: bot, email: null }).code);
    const after = user(web);
    if (!after) throw new Error("user");
    // Free is 1 master a week: the one made on Telegram is this account's now, so the next is refused.
    expect(tiers.limitsFor(botCaller(after)).masters).toMatchObject({ used: 1, remaining: 0 });
    expect(refusal(() => tiers.check(botCaller(after), { kind: "master" }))).toBe("429 limit_reached");
    await counted.stop(100);
  });
});
