// extendTier and expiry on each backend (SQLite file, Postgres database) with a test clock: extension from
// the current expiry for the same tier, from now for another or an expired one, idempotent on ref,
// audited; expiry back to free only for paid tiers past their end, and never over a renewal that moved
// the expiry.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { type AccountStores, type Accounts, createAccounts, DAY_MS } from "../../../src/accounts";
import { AppError } from "../../../src/errors";
import { silentLogger } from "../../../src/log";
import { accountBackends } from "./backends";
import type { StoreDb } from "./store-suite-lib";

for (const backend of accountBackends("the subscriptions tests"))
  describe.skipIf(backend.skip ?? false)(`subscriptions on ${backend.name}`, () => {
    let db: StoreDb;
    let stores: AccountStores;
    let acc: Accounts;
    let clock = Date.UTC(2026, 0, 1);
    let tgSeq = 9000;

    beforeAll(() => {
      db = backend.open();
      stores = db.stores;
      acc = createAccounts({
        stores,
        log: silentLogger,
        now: () => clock,
        jobsOfUser: () => ({ total: 0, done: 0, failed: 0, last_at: null }),
      });
    });
    afterAll(() => db.close());
    const auditOf = (id: number) => db.audit().filter((a) => a.target === `user:${id}`);

    const newUser = () => acc.seenTelegramUser({ id: tgSeq++ }).id;
    const row = (id: number) => {
      const u = acc.find(`#${id}`);
      return { tier: u?.tier, expires: u?.tierExpiresAt };
    };
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
      }
      return "no error";
    };

    describe("extendTier", () => {
      it("starts a paid tier from now, then extends the same tier from its current expiry, not from now", () => {
        const id = newUser();
        const t0 = clock;
        const g1 = acc.extendTier(id, "pro", 30, "pay-1");
        expect(g1).toMatchObject({ applied: true, previousTier: "free", expiresAt: t0 + 30 * DAY_MS });
        clock += 10 * DAY_MS; // renewed early, 20 days left
        const g2 = acc.extendTier(id, "pro", 30, "pay-2");
        expect(g2.expiresAt).toBe(t0 + 60 * DAY_MS);
        expect(row(id)).toEqual({ tier: "pro", expires: t0 + 60 * DAY_MS });
      });

      it("is idempotent on ref: a replay answers the first grant and moves nothing", () => {
        const id = newUser();
        const first = acc.extendTier(id, "studio", 7, "pay-replay");
        clock += DAY_MS;
        const again = acc.extendTier(id, "studio", 7, "pay-replay");
        expect(again).toEqual({ ...first, applied: false });
        expect(row(id).expires).toBe(first.expiresAt);
        expect(stores.subs.findGrant("pay-replay")).toMatchObject({
          userId: id,
          days: 7,
          expiresAt: first.expiresAt,
        });
        // The same ref for another user or tier is a conflict, not a silent second grant.
        expect(codeOf(() => acc.extendTier(newUser(), "studio", 7, "pay-replay"))).toBe(
          "409 tier_grant_conflict",
        );
        expect(codeOf(() => acc.extendTier(id, "pro", 7, "pay-replay"))).toBe("409 tier_grant_conflict");
      });

      it("runs a different tier, or the same one already expired, from now", () => {
        const id = newUser();
        acc.extendTier(id, "pro", 30, "pay-a");
        clock += 5 * DAY_MS;
        const switched = acc.extendTier(id, "studio", 30, "pay-b");
        expect(switched).toMatchObject({ previousTier: "pro", expiresAt: clock + 30 * DAY_MS });
        clock += 31 * DAY_MS; // studio ended, the expiry task has not run yet
        const renewed = acc.extendTier(id, "studio", 10, "pay-c");
        expect(renewed.expiresAt).toBe(clock + 10 * DAY_MS);
      });

      it("keeps a tier granted without an end without one", () => {
        const id = newUser();
        stores.admin.setTier(id, "pro", null);
        expect(acc.extendTier(id, "pro", 30, "pay-forever").expiresAt).toBeNull();
        expect(row(id)).toEqual({ tier: "pro", expires: null });
      });

      it("writes one audit row per applied grant with the actor, and none for a replay", () => {
        const id = newUser();
        acc.extendTier(id, "pro", 3, "pay-audit", "payment:yookassa");
        acc.extendTier(id, "pro", 3, "pay-audit", "payment:yookassa");
        const rows = auditOf(id);
        expect(rows.map((a) => `${a.actor} ${a.action}`)).toEqual(["payment:yookassa tier_extended"]);
        expect(JSON.parse(rows[0]?.details ?? "{}")).toMatchObject({
          tier: "pro",
          days: 3,
          ref: "pay-audit",
        });
      });

      it("refuses a free or unknown tier, bad days, an empty ref and an unknown user, changing nothing", () => {
        const id = newUser();
        expect(codeOf(() => acc.extendTier(id, "free", 30, "x1"))).toBe("400 tier_not_purchasable");
        expect(codeOf(() => acc.extendTier(id, "gold", 30, "x2"))).toBe("400 tier_not_purchasable");
        expect(codeOf(() => acc.extendTier(id, "pro", 0, "x3"))).toBe("400 invalid_grant_days");
        expect(codeOf(() => acc.extendTier(id, "pro", 1.5, "x4"))).toBe("400 invalid_grant_days");
        expect(codeOf(() => acc.extendTier(id, "pro", 30, ""))).toBe("400 invalid_grant_ref");
        expect(codeOf(() => acc.extendTier(999_999, "pro", 30, "x5"))).toBe("404 user_not_found");
        expect(row(id)).toEqual({ tier: "free", expires: null });
        // The unknown user's attempt left no grant behind, so the ref is still usable.
        expect(acc.extendTier(id, "pro", 30, "x5").applied).toBe(true);
      });

      it("joins the caller's open transaction: a rollback undoes the grant", () => {
        const id = newUser();
        expect(() =>
          stores.atomically(() => {
            acc.extendTier(id, "pro", 30, "pay-rolled-back");
            throw new Error("the payment failed after the grant");
          }),
        ).toThrow("the payment failed");
        expect(row(id)).toEqual({ tier: "free", expires: null });
        expect(acc.extendTier(id, "pro", 30, "pay-rolled-back").applied).toBe(true);
      });
    });

    describe("subscriptions.expireDue", () => {
      it("puts paid tiers past their expiry back to free (audited), leaving running and free users alone", () => {
        const ending = newUser();
        const running = newUser();
        const free = newUser();
        acc.extendTier(ending, "pro", 1, "exp-1");
        acc.extendTier(running, "studio", 5, "exp-2");
        clock += DAY_MS; // the expiry instant itself counts as expired
        const expired = acc.subscriptions.expireDue();
        expect(expired.map((e) => e.userId)).toContain(ending);
        expect(expired.map((e) => e.userId)).not.toContain(running);
        expect(row(ending)).toEqual({ tier: "free", expires: null });
        expect(row(running).tier).toBe("studio");
        expect(row(free)).toEqual({ tier: "free", expires: null });
        const audit = auditOf(ending);
        expect(audit.map((a) => `${a.actor} ${a.action}`)).toContain("scheduler tier_expired");
        // A second run finds nothing more for that user.
        expect(acc.subscriptions.expireDue().map((e) => e.userId)).not.toContain(ending);
      });

      it("lists the users to warn in (now, now + window]", () => {
        const soon = newUser();
        const later = newUser();
        acc.extendTier(soon, "pro", 2, "warn-1");
        acc.extendTier(later, "pro", 4, "warn-2");
        const ids = acc.subscriptions.expiringWithin(3 * DAY_MS).map((u) => u.id);
        expect(ids).toContain(soon);
        expect(ids).not.toContain(later);
      });
    });

    describe("shortenTier (a refunded tier plan)", () => {
      it("moves the expiry back by the days taken, once per ref (a replay changes nothing)", () => {
        const id = newUser();
        const t0 = clock;
        acc.extendTier(id, "pro", 30, "sh-pay-1");
        acc.extendTier(id, "pro", 30, "sh-pay-2"); // renewal: t0 + 60 d
        const g = acc.shortenTier(id, "sh-pay-2", 30, "refund:sh-pay-2");
        expect(g).toMatchObject({ applied: true, days: -30, expiresAt: t0 + 30 * DAY_MS });
        expect(row(id)).toEqual({ tier: "pro", expires: t0 + 30 * DAY_MS });
        expect(acc.shortenTier(id, "sh-pay-2", 30, "refund:sh-pay-2").applied).toBe(false);
        expect(row(id)).toEqual({ tier: "pro", expires: t0 + 30 * DAY_MS });
        const audit = auditOf(id);
        expect(audit.filter((a) => a.action === "tier_shortened")).toHaveLength(1);
      });

      it("ends the tier at once when nothing is left: back to free, or to the tier it replaced if that still runs", () => {
        const plain = newUser();
        acc.extendTier(plain, "pro", 30, "sh-pay-3");
        clock += DAY_MS;
        acc.shortenTier(plain, "sh-pay-3", 30, "refund:sh-pay-3");
        expect(row(plain)).toEqual({ tier: "free", expires: null });

        const upgraded = newUser();
        acc.extendTier(upgraded, "pro", 30, "sh-pay-4");
        const proEnds = row(upgraded).expires;
        clock += DAY_MS;
        acc.extendTier(upgraded, "studio", 30, "sh-pay-5"); // studio from now; pro's rest not carried
        acc.shortenTier(upgraded, "sh-pay-5", 30, "refund:sh-pay-5");
        expect(row(upgraded)).toEqual({ tier: "pro", expires: proEnds });
      });

      it("changes nothing when the user moved on to another tier, but records the shortening once", () => {
        const id = newUser();
        acc.extendTier(id, "pro", 30, "sh-pay-6");
        acc.extendTier(id, "studio", 30, "sh-pay-7");
        const before = row(id);
        expect(acc.shortenTier(id, "sh-pay-6", 30, "refund:sh-pay-6")).toMatchObject({ applied: true });
        expect(row(id)).toEqual(before);
        expect(acc.shortenTier(id, "sh-pay-6", 30, "refund:sh-pay-6").applied).toBe(false);
        expect(codeOf(() => acc.shortenTier(id, "sh-pay-6", 0, "refund:x"))).toBe("400 invalid_grant_days");
      });
    });
  });
