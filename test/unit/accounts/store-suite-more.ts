// The accounts store contract, second half (see store-suite.ts): the Telegram link, referrals, tiers and
// their usage, subscriptions, the admin panel's user store and presets.

import { describe, expect, it } from "bun:test";
import { DEFAULT_TIERS } from "../../../src/accounts";
import { type Current, T0, tgUser, webUser } from "./store-suite-lib";

export function moreStoreTests(cur: Current): void {
  describe("telegram link", () => {
    it("one live code per user, a colliding hash refused; live codes die on expiry or after N strikes", () => {
      const a = tgUser(cur.s);
      const b = tgUser(cur.s);
      const web = webUser(cur.s, "l@example.org");
      expect(cur.s.link.putCode(a.id, "h1", T0, T0 + 100)).toBe(true);
      expect(cur.s.link.putCode(a.id, "h2", T0, T0 + 100)).toBe(true); // replaces h1
      expect(cur.s.link.liveCode("h1", T0, 5)).toBeUndefined();
      expect(cur.s.link.putCode(b.id, "h2", T0, T0 + 100)).toBe(false);
      const code = cur.s.link.liveCode("h2", T0 + 99, 5);
      expect(code).toMatchObject({ userId: a.id, failures: 0, expiresAt: T0 + 100 });
      expect(cur.s.link.liveCode("h2", T0 + 100, 5)).toBeUndefined();
      cur.s.link.recordFailure(web.id, T0 + 1, 1000);
      cur.s.link.recordFailure(web.id, T0 + 2, 1000);
      expect(cur.s.link.liveCode("h2", T0 + 3, 2)).toBeUndefined();
      expect(cur.s.link.liveCode("h2", T0 + 3, 3)?.failures).toBe(2);
      expect(cur.s.link.failuresSince(web.id, T0)).toEqual([T0 + 1, T0 + 2]);
      cur.s.link.recordFailure(web.id, T0 + 2000, 1000); // older than the window: dropped
      expect(cur.s.link.failuresSince(web.id, 0)).toEqual([T0 + 2000]);
      expect(cur.s.link.consumeCode(code?.id ?? 0)).toBe(true);
      expect(cur.s.link.consumeCode(code?.id ?? 0)).toBe(false);
    });

    it("merges the bot user into the web account, and clears the Telegram identity once", () => {
      const bot = tgUser(cur.s, "Bot");
      cur.s.users.setBotBlocked(bot.telegramId ?? "", T0);
      const w = webUser(cur.s, "m@example.org");
      const botRow = cur.s.link.user(bot.id);
      const webRow = cur.s.link.user(w.id);
      if (!botRow || !webRow) throw new Error("test: rows");
      cur.s.link.mergeUsers(botRow, webRow, { tier: "pro", tierExpiresAt: T0 + 5 });
      expect(cur.s.link.user(bot.id)).toMatchObject({ telegramId: null, mergedInto: w.id, tier: "free" });
      expect(cur.s.link.user(w.id)).toMatchObject({
        telegramId: bot.telegramId,
        telegramUsername: "Bot",
        botBlockedAt: T0,
        tier: "pro",
        tierExpiresAt: T0 + 5,
      });
      expect(cur.s.admin.mergedInto(w.id).map((u) => u.id)).toEqual([bot.id]);
      expect(cur.s.link.clearTelegram(w.id)).toBe(true);
      expect(cur.s.link.clearTelegram(w.id)).toBe(false);
      expect(cur.s.link.user(w.id)).toMatchObject({
        telegramId: null,
        telegramUsername: null,
        botBlockedAt: null,
      });
    });
  });

  describe("referral", () => {
    it("codes are set once and unique; one referral per invitee; rewarded once; repointed; pending listed", () => {
      const [a, b, c] = [tgUser(cur.s), tgUser(cur.s), tgUser(cur.s)];
      const r = cur.s.referral;
      expect(r.codeOf(a.id)).toBeNull();
      expect(r.setCode(a.id, "AAAA1111")).toBe(true);
      expect(r.setCode(a.id, "OTHER999")).toBe(true); // no-op: a keeps its code
      expect(r.codeOf(a.id)).toBe("AAAA1111");
      expect(r.setCode(b.id, "AAAA1111")).toBe(false);
      expect(r.codeOf(b.id)).toBeNull();
      expect(r.userByCode("AAAA1111")).toEqual({ id: a.id, mergedInto: null });
      expect(r.userByCode("NONE0000")).toBeUndefined();
      const first = r.insert(a.id, b.id, "web", T0);
      expect(first).toMatchObject({ inviterId: a.id, inviteeId: b.id, status: "pending", via: "web" });
      expect(r.insert(c.id, b.id, "bot", T0)).toBeUndefined();
      const second = r.insert(a.id, c.id, "bot", T0 + 1);
      expect(r.ofInvitee(b.id)?.id).toBe(first?.id ?? 0);
      expect(r.listOfInviter(a.id, 10).map((x) => x.id)).toEqual([second?.id ?? 0, first?.id ?? 0]);
      expect(r.listOfInviter(a.id, 1)).toHaveLength(1);
      expect(r.markRewarded(first?.id ?? 0, T0 + 5)).toMatchObject({
        status: "rewarded",
        rewardedAt: T0 + 5,
      });
      expect(r.markRewarded(first?.id ?? 0, T0 + 6)).toBeUndefined();
      expect(r.pending(10).map((x) => x.id)).toEqual([second?.id ?? 0]);
      r.setStatus(second?.id ?? 0, "void");
      expect(r.pending(10)).toEqual([]);
      expect(r.involving(b.id).map((x) => x.id)).toEqual([first?.id ?? 0]);
      r.repoint(first?.id ?? 0, "inviterId", c.id);
      expect(
        r
          .involving(c.id)
          .map((x) => x.id)
          .sort(),
      ).toEqual([first?.id ?? 0, second?.id ?? 0].sort());
      expect(r.listOfInviter(a.id, 10).map((x) => x.id)).toEqual([second?.id ?? 0]);
    });
  });

  describe("tiers", () => {
    it("seeds missing tiers without overwriting an edit; lists by upload size then name; finds; updates", () => {
      const t = cur.s.tiers;
      t.seed(DEFAULT_TIERS, T0);
      expect(t.list().map((x) => x.name)).toEqual(
        [...DEFAULT_TIERS]
          .sort((x, y) => x.upload_max_mb - y.upload_max_mb || (x.name < y.name ? -1 : 1))
          .map((x) => x.name),
      );
      const pro = t.find("pro");
      if (!pro) throw new Error("test: pro");
      expect(pro).toEqual(DEFAULT_TIERS.find((x) => x.name === "pro") ?? pro);
      t.update(
        { ...pro, daily_cap: 99, styles: ["warm", "bright"], tokens: { ...pro.tokens, master: 3 } },
        T0 + 1,
      );
      t.seed(DEFAULT_TIERS, T0 + 2);
      expect(t.find("pro")).toMatchObject({
        daily_cap: 99,
        styles: ["warm", "bright"],
        tokens: { master: 3 },
      });
      expect(t.find("nope")).toBeUndefined();
    });

    it("usage: counted once per ref, by subject, kind and time, released once, moved to another subject", () => {
      const t = cur.s.tiers;
      const u = tgUser(cur.s);
      expect(t.record("user:1", "master", "J1", T0)).toBe(true);
      expect(t.record("user:1", "master", "J1", T0)).toBe(false);
      t.record("user:1", "master", "J2", T0 + 10);
      t.record("user:1", "preview", "J3", T0 + 10);
      t.record("user:2", "master", "J4", T0 + 10);
      expect(t.used("user:1", "master", T0)).toBe(2);
      expect(t.used("user:1", "master", T0 + 5)).toBe(1);
      expect(t.counted("J1")).toBe(true);
      t.release("J1", T0 + 20);
      t.release("J1", T0 + 30);
      expect(t.counted("J1")).toBe(false);
      expect(t.counted("J9")).toBe(false);
      expect(t.used("user:1", "master", T0)).toBe(1);
      expect(t.moveUsage("user:2", "user:1")).toBe(1);
      expect(t.used("user:1", "master", T0)).toBe(2);
      expect(t.userTier(u.id)).toBe("free");
      expect(t.userTier(999_999)).toBeUndefined();
    });
  });

  describe("subscriptions", () => {
    it("grants are found by ref and set the tier; shortenings too; expiry and warnings are guarded", () => {
      const u = tgUser(cur.s);
      const other = tgUser(cur.s);
      const g = {
        userId: u.id,
        tier: "pro",
        days: 30,
        ref: "pay-1",
        actor: "system",
        previousTier: "free",
        previousExpiresAt: null,
        expiresAt: T0 + 100,
        createdAt: T0,
      };
      cur.s.subs.applyGrant(g);
      expect(cur.s.subs.findGrant("pay-1")).toMatchObject({ ...g, id: expect.any(Number) });
      expect(cur.s.subs.findGrant("pay-2")).toBeUndefined();
      expect(cur.s.users.byId(u.id)).toMatchObject({ tier: "pro", tierExpiresAt: T0 + 100 });
      expect(() => cur.s.subs.applyGrant(g)).toThrow(); // ref is unique
      cur.s.subs.recordShortening({ ...g, ref: "refund-1", days: -30, userId: other.id }, undefined);
      expect(cur.s.users.byId(other.id)).toMatchObject({ tier: "free", tierExpiresAt: null });
      cur.s.subs.recordShortening({ ...g, ref: "refund-2", days: -10 }, { tier: "pro", expiresAt: T0 + 50 });
      expect(cur.s.users.byId(u.id)?.tierExpiresAt).toBe(T0 + 50);
      cur.s.admin.setTier(other.id, "studio", T0 + 200);
      const guest = tgUser(cur.s);
      cur.s.admin.setTier(guest.id, "guest", T0 + 10); // unpaid tiers never expire
      expect(cur.s.subs.paidExpiringBetween(T0, T0 + 150).map((x) => x.id)).toEqual([u.id]);
      expect(cur.s.subs.paidExpiringBetween(T0 + 50, T0 + 200).map((x) => x.id)).toEqual([other.id]);
      expect(cur.s.subs.paidExpiredAt(T0 + 50)).toEqual([
        expect.objectContaining({ id: u.id, tier: "pro", tierExpiresAt: T0 + 50, lang: "ru" }),
      ]);
      expect(cur.s.subs.expireTier(u.id, "pro", T0 + 49)).toBe(false); // renewed in between
      expect(cur.s.subs.expireTier(u.id, "pro", T0 + 50)).toBe(true);
      expect(cur.s.subs.expireTier(u.id, "pro", T0 + 50)).toBe(false);
      expect(cur.s.users.byId(u.id)).toMatchObject({ tier: "free", tierExpiresAt: null });
      const w = { userId: u.id, expiresAt: T0 + 50, channel: "email" as const, sentAt: T0 };
      expect(cur.s.subs.warningSent(u.id, T0 + 50, "email")).toBe(false);
      expect(cur.s.subs.recordWarning(w)).toBe(true);
      expect(cur.s.subs.recordWarning(w)).toBe(false);
      expect(cur.s.subs.warningSent(u.id, T0 + 50, "email")).toBe(true);
      expect(cur.s.subs.warningSent(u.id, T0 + 50, "bot")).toBe(false);
    });
  });

  describe("admin users", () => {
    it("searches by text (literally), Telegram id, ids and filters, newest first, with a total", () => {
      const a = webUser(cur.s, "ann_100%@example.org");
      const b = webUser(cur.s, "annex@example.org");
      const c = tgUser(cur.s, "Annie");
      const d = tgUser(cur.s, "zed");
      cur.s.users.setBan(b.id, { at: T0, reason: "r" });
      cur.s.admin.setTier(c.id, "pro", null);
      const ids = (f: Parameters<typeof cur.s.admin.search>[0], limit = 50, offset = 0) =>
        cur.s.admin.search(f, limit, offset).rows.map((u) => u.id);
      expect(ids({})).toEqual([d.id, c.id, b.id, a.id]);
      expect(cur.s.admin.search({}, 2, 1)).toMatchObject({ total: 4, rows: [{ id: c.id }, { id: b.id }] });
      expect(ids({ text: "ANN" })).toEqual([c.id, b.id, a.id]);
      expect(ids({ text: "_100%" })).toEqual([a.id]);
      expect(ids({ text: "n%e" })).toEqual([]); // "%" is a character, not a wildcard
      expect(ids({ telegramId: d.telegramId ?? "" })).toEqual([d.id]);
      expect(ids({ text: "zz", ids: [a.id] })).toEqual([a.id]);
      expect(ids({ ids: [] })).toEqual([]);
      expect(ids({ tier: "pro" })).toEqual([c.id]);
      expect(ids({ banned: true })).toEqual([b.id]);
      expect(ids({ banned: false, text: "ann" })).toEqual([c.id, a.id]);
      expect(ids({ onlyIds: [] })).toEqual([]);
      expect(ids({ onlyIds: [a.id, d.id] })).toEqual([d.id, a.id]);
      const many = Array.from({ length: 1200 }, (_, i) => 100_000 + i);
      expect(ids({ onlyIds: [...many, b.id] })).toEqual([b.id]);
      expect(ids({ exceptIds: [...many, b.id] })).toEqual([d.id, c.id, a.id]);
      cur.s.admin.anonymise(d.id, T0);
      expect(ids({ deleted: true })).toEqual([d.id]);
      expect(ids({ deleted: false })).toEqual([c.id, b.id, a.id]);
    });

    it("a user's sessions, keys and referrals; ending and revoking all or some; tier; anonymising", () => {
      const u = webUser(cur.s, "adm@example.org");
      const inviter = tgUser(cur.s, "Inv");
      const invitee = webUser(cur.s, "inv@example.org");
      for (const h of ["s1", "s2", "s3"])
        cur.s.auth.insertSession({
          tokenHash: h,
          userId: u.id,
          createdAt: T0,
          expiresAt: T0 + 9,
          ip: null,
          userAgent: null,
        });
      const k1 = cur.s.apiKeys.insertCapped(
        { userId: u.id, keyHash: "kh1", prefix: "mm_1", name: "a", createdAt: T0 },
        5,
      );
      const k2 = cur.s.apiKeys.insertCapped(
        { userId: u.id, keyHash: "kh2", prefix: "mm_2", name: "b", createdAt: T0 },
        5,
      );
      cur.s.apiKeys.insertCapped(
        { userId: u.id, keyHash: "kh3", prefix: "mm_3", name: "c", createdAt: T0 },
        5,
      );
      cur.s.referral.insert(inviter.id, u.id, "bot", T0);
      cur.s.referral.insert(u.id, invitee.id, "web", T0 + 1);
      cur.s.presets.insertCapped({ publicId: "p_1", userId: u.id, name: "n", settings: "{}", now: T0 }, 5);
      cur.s.link.putCode(u.id, "ch", T0, T0 + 100);

      const sessions = cur.s.admin.sessionsOf(u.id);
      expect(sessions).toHaveLength(3);
      expect(sessions[0]).not.toHaveProperty("tokenHash");
      expect(cur.s.admin.keysOf(u.id).map((k) => k.prefix)).toEqual(["mm_3", "mm_2", "mm_1"]);
      expect(cur.s.admin.keysOf(u.id)[0]).not.toHaveProperty("keyHash");
      const refs = cur.s.admin.referralsOf(u.id);
      expect(refs.invitedBy).toMatchObject({
        userId: inviter.id,
        username: "Inv",
        via: "bot",
        status: "pending",
      });
      expect(refs.invited).toEqual([
        {
          userId: invitee.id,
          email: "inv@example.org",
          username: null,
          via: "web",
          status: "pending",
          createdAt: T0 + 1,
        },
      ]);
      expect(cur.s.admin.referralsOf(inviter.id).invitedBy).toBeNull();

      expect(cur.s.admin.endSessions(u.id, [])).toBe(0);
      expect(cur.s.admin.endSessions(u.id, [sessions[0]?.id ?? 0, 999_999])).toBe(1);
      expect(cur.s.admin.revokeKeys(u.id, T0, [])).toBe(0);
      expect(cur.s.admin.revokeKeys(u.id, T0, [k1?.id ?? 0])).toBe(1);
      expect(cur.s.admin.revokeKeys(u.id, T0 + 1, [k1?.id ?? 0])).toBe(0);
      expect(cur.s.admin.keysOf(u.id).find((k) => k.id === k1?.id)?.revokedAt).toBe(T0);
      expect(cur.s.admin.setTier(u.id, "studio", T0 + 7)).toMatchObject({
        tier: "studio",
        tierExpiresAt: T0 + 7,
      });
      expect(cur.s.admin.setTier(999_999, "pro", null)).toBeUndefined();

      expect(cur.s.admin.anonymise(u.id, T0 + 3)).toEqual({ sessions: 2, keys: 2 });
      expect(cur.s.users.byId(u.id)).toMatchObject({
        email: null,
        passwordHash: null,
        telegramId: null,
        referralCode: null,
        isAdmin: false,
        deletedAt: T0 + 3,
        tier: "studio",
      });
      expect(cur.s.presets.list(u.id)).toEqual([]);
      expect(cur.s.link.liveCode("ch", T0, 5)).toBeUndefined();
      expect(cur.s.apiKeys.activeByHash("kh2")).toBeUndefined();
      expect(k2).toBeDefined();
    });
  });

  describe("presets", () => {
    it("scoped to the user; capped; a taken name comes back as name_taken on insert and update", () => {
      const u = tgUser(cur.s);
      const v = tgUser(cur.s);
      const p = cur.s.presets;
      const row = (publicId: string, name: string, userId = u.id, now = T0) => ({
        publicId,
        userId,
        name,
        settings: `{"n":"${name}"}`,
        now,
      });
      const a = p.insertCapped(row("p_a", "Warm"), 2);
      expect(a).toMatchObject({
        publicId: "p_a",
        name: "Warm",
        settings: '{"n":"Warm"}',
        createdAt: T0,
        updatedAt: T0,
      });
      expect(p.insertCapped(row("p_b", "Warm"), 2)).toBe("name_taken");
      expect(p.insertCapped(row("p_c", "Warm", v.id), 2)).toMatchObject({ userId: v.id });
      expect(p.insertCapped(row("p_d", "Bright", u.id, T0 + 1), 2)).toMatchObject({ name: "Bright" });
      expect(p.insertCapped(row("p_e", "Third"), 2)).toBe("limit");
      expect(p.list(u.id).map((x) => x.publicId)).toEqual(["p_a", "p_d"]);
      expect(p.find(u.id, "p_a")?.name).toBe("Warm");
      expect(p.find(v.id, "p_a")).toBeUndefined();
      expect(p.findByName(u.id, "Bright")?.publicId).toBe("p_d");
      expect(p.update(u.id, "p_d", { name: "Warm", settings: "{}", now: T0 + 2 })).toBe("name_taken");
      expect(p.update(u.id, "p_d", { name: "Soft", settings: "{}", now: T0 + 2 })).toMatchObject({
        name: "Soft",
        updatedAt: T0 + 2,
        createdAt: T0 + 1,
      });
      expect(p.update(v.id, "p_d", { name: "X", settings: "{}", now: T0 })).toBeUndefined();
      expect(p.delete(v.id, "p_d")).toBe(false);
      expect(p.delete(u.id, "p_d")).toBe(true);
      expect(p.delete(u.id, "p_d")).toBe(false);
    });
  });
}
