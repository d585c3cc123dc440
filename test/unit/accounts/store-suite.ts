// The accounts store contract, as one suite any backend runs (stores.test.ts calls it for SQLite and for
// Postgres): each test gets a fresh, migrated, empty database and checks what the services rely on —
// guarded writes happen once, unique keys refuse quietly, case-insensitive lookups, orderings, and that
// a transaction spans every store and the audit entry. This file: users, sign-in, keys, e-mail tokens,
// bot sessions and updates and transactions; store-suite-more.ts the rest.

import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { type Current, type StoreBackend, T0, tgUser, webUser } from "./store-suite-lib";
import { moreStoreTests } from "./store-suite-more";

export type { StoreBackend, StoreDb } from "./store-suite-lib";

export function accountStoreSuite(backend: StoreBackend): void {
  describe.skipIf(backend.skip ?? false)(`account stores on ${backend.name}`, () => {
    const cur = {} as Current;
    beforeEach(() => {
      cur.db = backend.open();
      cur.s = cur.db.stores;
    });
    afterEach(async () => {
      await cur.db.close();
    });
    coreStoreTests(cur);
    moreStoreTests(cur);
  });
}

function coreStoreTests(cur: Current): void {
  describe("users", () => {
    it("upsertTelegram inserts, then refreshes name and last seen, keeps the language, clears bot_blocked", () => {
      const u = cur.s.users.upsertTelegram({ telegramId: "77", username: "Anna", lang: "ru" }, T0);
      expect(u).toMatchObject({ telegramId: "77", lang: "ru", createdAt: T0, lastSeenAt: T0, tier: "free" });
      cur.s.users.setLang(u.id, "en");
      cur.s.users.setBotBlocked("77", T0 + 1);
      expect(cur.s.users.byId(u.id)?.botBlockedAt).toBe(T0 + 1);
      const again = cur.s.users.upsertTelegram({ telegramId: "77", username: "anna2", lang: "ru" }, T0 + 5);
      expect(again).toMatchObject({ id: u.id, lang: "en", telegramUsername: "anna2", lastSeenAt: T0 + 5 });
      expect(again.botBlockedAt).toBeNull();
      expect(again.createdAt).toBe(T0);
    });

    it("finds by id, Telegram id, username and e-mail in any case; unknown is undefined", () => {
      const a = tgUser(cur.s, "Boris", T0);
      tgUser(cur.s, "boris", T0 - 1_000); // seen earlier: the most recently seen one wins
      const w = webUser(cur.s, "Vera@Example.org");
      expect(cur.s.users.byId(a.id)?.telegramId).toBe(a.telegramId);
      expect(cur.s.users.byTelegramId(a.telegramId ?? "")?.id).toBe(a.id);
      expect(cur.s.users.byUsername("BORIS")?.id).toBe(a.id);
      expect(cur.s.users.byEmail("vera@example.ORG")?.id).toBe(w.id);
      expect(cur.s.users.byId(999_999)).toBeUndefined();
      expect(cur.s.users.byUsername("nobody")).toBeUndefined();
      expect(cur.s.users.byEmail("no@example.org")).toBeUndefined();
    });

    it("sets and clears a ban, returning the row; unknown user gives undefined", () => {
      const u = tgUser(cur.s);
      expect(cur.s.users.setBan(u.id, { at: T0, reason: "spam" })).toMatchObject({
        bannedAt: T0,
        banReason: "spam",
      });
      expect(cur.s.users.setBan(u.id, null)).toMatchObject({ bannedAt: null, banReason: null });
      expect(cur.s.users.setBan(999_999, null)).toBeUndefined();
    });

    it("broadcast recipients: linked, not banned, not blocked, by id", () => {
      const [a, b, c, d] = [tgUser(cur.s), tgUser(cur.s), tgUser(cur.s), tgUser(cur.s)];
      webUser(cur.s, "x@example.org");
      cur.s.users.setBan(b.id, { at: T0, reason: "r" });
      cur.s.users.setBotBlocked(c.telegramId ?? "", T0);
      expect(cur.s.users.broadcastRecipients()).toEqual([a.telegramId ?? "", d.telegramId ?? ""]);
    });

    it("counts users created / seen since a time, per day, and the dashboard totals without merged rows", () => {
      const day = 86_400_000;
      const old = tgUser(cur.s, null, T0 - 3 * day);
      const seen = tgUser(cur.s, null, T0 - 2 * day);
      cur.s.users.upsertTelegram({ telegramId: seen.telegramId ?? "", username: null, lang: "en" }, T0 + 10);
      const fresh = tgUser(cur.s, null, T0 + 20);
      cur.s.users.setBan(fresh.id, { at: T0, reason: "r" });
      const paid = webUser(cur.s, "p@example.org", T0 - 3 * day);
      cur.s.admin.setTier(paid.id, "pro", T0 + day);
      const forever = webUser(cur.s, "f@example.org", T0 - 3 * day);
      cur.s.admin.setTier(forever.id, "studio", null);
      const lapsed = webUser(cur.s, "l@example.org", T0 - 3 * day);
      cur.s.admin.setTier(lapsed.id, "pro", T0 - 1);
      const bot = tgUser(cur.s, null, T0 + 30);
      const web = cur.s.link.user(webUser(cur.s, "w@example.org", T0 - 3 * day).id);
      const botRow = cur.s.link.user(bot.id);
      if (!web || !botRow) throw new Error("test: rows");
      cur.s.link.mergeUsers(botRow, web, { tier: "free", tierExpiresAt: null });

      expect(cur.s.users.countSince(T0)).toEqual({ new_users: 2, active_users: 3 });
      expect(cur.s.users.ofDay(T0, T0 + day)).toEqual({
        created: 2,
        seenIds: expect.arrayContaining([seen.id, fresh.id, bot.id]),
      });
      expect(cur.s.users.ofDay(T0, T0 + day).seenIds).toHaveLength(3);
      expect(cur.s.users.totals(T0, T0)).toEqual({ total: 7, banned: 1, subscribed: 2, new: 1, active: 2 });
      expect(old.id).toBeGreaterThan(0);
    });

    it("stores feedback with a fresh id each time", () => {
      const u = tgUser(cur.s);
      const f = { jobPublicId: null, userId: u.id, ownerKey: `tg:${u.telegramId}`, text: "great" };
      const a = cur.s.users.insertFeedback(f, T0);
      const b = cur.s.users.insertFeedback({ ...f, jobPublicId: "ABCDEF" }, T0);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(a);
    });
  });

  describe("auth", () => {
    it("createUser: one account per e-mail (any case) with the given extras; lookups by e-mail and id", () => {
      const u = cur.s.auth.createUser("Ann@Example.org", "h1", T0, {
        lang: "ru",
        isAdmin: true,
        verifiedAt: T0,
      });
      expect(u).toMatchObject({ email: "Ann@Example.org", lang: "ru", isAdmin: true, emailVerifiedAt: T0 });
      expect(cur.s.auth.createUser("Ann@Example.org", "h2", T0)).toBeUndefined();
      expect(cur.s.auth.userByEmail("ann@example.ORG")?.id).toBe(u?.id);
      expect(cur.s.auth.userById(u?.id ?? 0)?.passwordHash).toBe("h1");
      const plain = cur.s.auth.createUser("bob@example.org", "h", T0);
      expect(plain).toMatchObject({ lang: "en", isAdmin: false, emailVerifiedAt: null, tier: "free" });
    });

    it("password, verification once, admin flag", () => {
      const u = webUser(cur.s, "c@example.org");
      cur.s.auth.setPasswordHash(u.id, "new");
      cur.s.auth.markEmailVerified(u.id, T0 + 1);
      cur.s.auth.markEmailVerified(u.id, T0 + 2);
      cur.s.auth.setAdmin(u.id);
      expect(cur.s.auth.userById(u.id)).toMatchObject({
        passwordHash: "new",
        emailVerifiedAt: T0 + 1,
        isAdmin: true,
      });
    });

    it("sessions: live until expiry, touched at most once a minute, ended one, all but one, or expired", () => {
      const u = webUser(cur.s, "d@example.org");
      const add = (tokenHash: string, expiresAt: number) =>
        cur.s.auth.insertSession({
          tokenHash,
          userId: u.id,
          createdAt: T0,
          expiresAt,
          ip: "::1",
          userAgent: "t",
        });
      add("a", T0 + 1000);
      add("b", T0 + 5000);
      add("c", T0 + 5000);
      const live = cur.s.auth.sessionUser("a", T0 + 999);
      expect(live?.user).toMatchObject({ id: u.id, email: "d@example.org" });
      expect(cur.s.auth.sessionUser("a", T0 + 1000)).toBeUndefined();
      expect(cur.s.auth.sessionUser("zzz", T0)).toBeUndefined();
      const b = cur.s.auth.sessionUser("b", T0)?.sessionId ?? 0;
      cur.s.auth.touchSession(b, T0 + 30_000);
      expect(cur.s.admin.sessionsOf(u.id).find((x) => x.id === b)?.lastSeenAt).toBe(T0);
      cur.s.auth.touchSession(b, T0 + 61_000);
      expect(cur.s.admin.sessionsOf(u.id).find((x) => x.id === b)?.lastSeenAt).toBe(T0 + 61_000);
      expect(cur.s.auth.deleteExpiredSessions(T0 + 1000)).toBe(1);
      expect(cur.s.auth.deleteUserSessions(u.id, b)).toBe(1);
      expect(cur.s.auth.sessionUser("b", T0)?.sessionId).toBe(b);
      cur.s.auth.deleteSession("b");
      expect(cur.s.auth.sessionUser("b", T0)).toBeUndefined();
      add("e", T0 + 5000);
      expect(cur.s.users.deleteSessionsOf(u.id)).toBe(1);
      expect(cur.s.auth.deleteUserSessions(u.id, null)).toBe(0);
    });
  });

  describe("api keys", () => {
    it("caps active keys, lists newest first, revokes once, resolves only active keys, touches once a minute", () => {
      const u = webUser(cur.s, "k@example.org");
      const other = webUser(cur.s, "o@example.org");
      const k = (n: number, userId = u.id) => ({
        userId,
        keyHash: `h${userId}-${n}`,
        prefix: `mm_${n}`,
        name: `k${n}`,
        createdAt: T0,
      });
      const a = cur.s.apiKeys.insertCapped(k(1), 2);
      const b = cur.s.apiKeys.insertCapped(k(2), 2);
      expect(cur.s.apiKeys.insertCapped(k(3), 2)).toBeUndefined();
      expect(cur.s.apiKeys.insertCapped(k(1, other.id), 2)).toMatchObject({
        userId: other.id,
        lastUsedAt: null,
      });
      expect(cur.s.apiKeys.listActive(u.id).map((x) => x.id)).toEqual([b?.id ?? 0, a?.id ?? 0]);
      expect(cur.s.apiKeys.revoke(other.id, a?.id ?? 0, T0)).toBe(false);
      expect(cur.s.apiKeys.revoke(u.id, a?.id ?? 0, T0)).toBe(true);
      expect(cur.s.apiKeys.revoke(u.id, a?.id ?? 0, T0)).toBe(false);
      expect(cur.s.apiKeys.activeByHash(`h${u.id}-1`)).toBeUndefined();
      expect(cur.s.apiKeys.insertCapped(k(3), 2)).toBeDefined();
      const hit = cur.s.apiKeys.activeByHash(`h${u.id}-2`);
      expect(hit).toMatchObject({ keyId: b?.id, user: { id: u.id, email: "k@example.org" } });
      cur.s.apiKeys.touch(b?.id ?? 0, T0 + 1);
      cur.s.apiKeys.touch(b?.id ?? 0, T0 + 30_000);
      expect(cur.s.apiKeys.listActive(u.id).find((x) => x.id === b?.id)?.lastUsedAt).toBe(T0 + 1);
      cur.s.apiKeys.touch(b?.id ?? 0, T0 + 60_002);
      expect(cur.s.apiKeys.listActive(u.id).find((x) => x.id === b?.id)?.lastUsedAt).toBe(T0 + 60_002);
    });
  });

  describe("e-mail tokens", () => {
    it("a token is consumed once, only for its kind, only before it expires; sweeps", () => {
      const u = webUser(cur.s, "t@example.org");
      const put = (tokenHash: string, kind: "verify" | "reset", expiresAt: number) =>
        cur.s.emailTokens.insert({ userId: u.id, kind, tokenHash, now: T0, expiresAt });
      put("v1", "verify", T0 + 100);
      put("r1", "reset", T0 + 100);
      put("r2", "reset", T0 + 100);
      put("old", "reset", T0 + 10);
      expect(cur.s.emailTokens.consume("v1", "reset", T0)).toBeUndefined();
      expect(cur.s.emailTokens.consume("v1", "verify", T0 + 100)).toBeUndefined();
      expect(cur.s.emailTokens.consume("v1", "verify", T0 + 99)).toBe(u.id);
      expect(cur.s.emailTokens.consume("v1", "verify", T0 + 99)).toBeUndefined();
      expect(cur.s.emailTokens.consume("r1", "reset", T0)).toBe(u.id);
      expect(cur.s.emailTokens.deleteUnused(u.id, "reset")).toBe(2); // r2 and old; r1 was used
      put("old2", "verify", T0 + 10);
      expect(cur.s.emailTokens.deleteExpired(T0 + 50)).toBe(1);
      expect(cur.s.emailTokens.deleteExpired(T0 + 101)).toBe(2);
    });
  });

  describe("bot sessions", () => {
    it("writes, overwrites, reads, deletes opaque text per key", () => {
      const b = cur.s.botSessions;
      expect(b.read("chat:1")).toBeUndefined();
      expect(b.has("chat:1")).toBe(false);
      b.write("chat:1", '{"a":1}');
      b.write("chat:1", '{"a":2}');
      b.write("chat:2", "x");
      expect(b.read("chat:1")).toBe('{"a":2}');
      expect(b.has("chat:1")).toBe(true);
      b.delete("chat:1");
      expect(b.read("chat:1")).toBeUndefined();
      expect(b.read("chat:2")).toBe("x");
    });
  });

  describe("bot updates", () => {
    it("claims an update id once, says it was seen, and prunes by age", () => {
      const b = cur.s.botUpdates;
      expect(b.seen(500)).toBe(false);
      expect(b.claim(500, T0)).toBe(true);
      expect(b.claim(500, T0 + 5)).toBe(false);
      expect(b.seen(500)).toBe(true);
      // Real update ids are around 10^9 and may pass 2^31.
      expect(b.claim(3_000_000_000, T0 + 10)).toBe(true);
      expect(b.seen(3_000_000_000)).toBe(true);
      expect(b.prune(T0)).toBe(0);
      expect(b.prune(T0 + 1)).toBe(1);
      expect(b.seen(500)).toBe(false);
      expect(b.seen(3_000_000_000)).toBe(true);
      expect(b.claim(500, T0 + 20)).toBe(true);
    });
  });

  describe("transactions", () => {
    it("atomically spans stores and the audit entry: a throw rolls all back, a nested call joins", () => {
      const u = tgUser(cur.s);
      expect(() =>
        cur.s.atomically(() => {
          cur.s.users.setBan(u.id, { at: T0, reason: "x" });
          cur.s.audit({ actor: "test", action: "rolled_back" });
          cur.s.link.atomically(() => cur.s.users.setLang(u.id, "en"));
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(cur.s.users.byId(u.id)).toMatchObject({ bannedAt: null, lang: "ru" });
      const out = cur.s.atomically(() => {
        cur.s.referral.atomically(() => cur.s.users.setLang(u.id, "en"));
        cur.s.audit({ actor: "test", action: "kept", target: `user:${u.id}`, details: { n: 1 } });
        return 42;
      });
      expect(out).toBe(42);
      expect(cur.s.users.byId(u.id)?.lang).toBe("en");
      expect(cur.db.audit().map((a) => a.action)).toEqual(["kept"]);
    });
  });
}
