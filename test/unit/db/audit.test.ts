// The audit log (createAuditLog(backend)) on both backends: what record writes, recent's order, and
// every filter of search — text anywhere (with "%" and "_" taken literally), actor, action or action
// prefix, target, time window, paging by id — plus that an entry joins the caller's transaction.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { type AuditLog, createAuditLog } from "../../../src/db";
import { type TestDb, testBackends } from "../../fixtures/backends";

for (const b of testBackends("the audit log suite"))
  describe.skipIf(b.skip ?? false)(`audit log on ${b.name}`, () => {
    let db: TestDb;
    let log: AuditLog;
    beforeEach(() => {
      db = b.open();
      log = createAuditLog(db.backend);
    });
    afterEach(() => db.close());

    /** Six entries with ts 1000…6000 (set by hand: the column defaults to the insert time). */
    const seed = () => {
      log.record({ actor: "cli", action: "user_ban", target: "user:1", details: { reason: "spam 100%" } });
      log.record({ actor: "tg:42", action: "user_unban", target: "user:1" });
      log.record({ actor: "http:admin", action: "flag_set", target: "flag:new_ui", ip: "198.51.100.7" });
      log.record({
        actor: "cli",
        action: "setting_set",
        target: "setting:mail_from",
        before: "a",
        after: "B_x",
      });
      log.record({ actor: "user:7", action: "user_tier", target: "user:2", details: { tier: "pro" } });
      log.record({ actor: "cli", action: "maintenance_on", target: "maintenance" });
      db.exec("UPDATE audit_log SET ts = id * 1000");
    };
    const ids = (rows: { action: string }[]) => rows.map((r) => r.action);

    it("record stores every field as JSON text; recent answers newest first, limited", () => {
      seed();
      const all = log.recent();
      expect(ids(all)).toEqual([
        "maintenance_on",
        "user_tier",
        "setting_set",
        "flag_set",
        "user_unban",
        "user_ban",
      ]);
      expect(all[5]).toMatchObject({
        actor: "cli",
        target: "user:1",
        details: '{"reason":"spam 100%"}',
        ip: null,
        before: null,
        after: null,
        ts: 1000,
      });
      expect(all[2]).toMatchObject({ before: '"a"', after: '"B_x"', details: null });
      expect(all[3]?.ip).toBe("198.51.100.7");
      expect(typeof all[0]?.id).toBe("number");
      expect(ids(log.recent(2))).toEqual(["maintenance_on", "user_tier"]);
    });

    it("search: text anywhere, case-insensitive, '%' and '_' literal", () => {
      seed();
      const q = (text: string) => ids(log.search({ q: text, limit: 50 }).rows);
      expect(q("SPAM")).toEqual(["user_ban"]);
      expect(q("100%")).toEqual(["user_ban"]);
      expect(q("%")).toEqual(["user_ban"]);
      expect(q("b_x")).toEqual(["setting_set"]);
      expect(q("198.51")).toEqual(["flag_set"]);
      expect(q("pro")).toEqual(["user_tier"]);
      expect(q("_")).toEqual([
        "maintenance_on",
        "user_tier",
        "setting_set",
        "flag_set",
        "user_unban",
        "user_ban",
      ]);
      expect(q("nothing-like-this")).toEqual([]);
    });

    it("search: actor, exact action, action prefix, target and time window combine", () => {
      seed();
      const s = (o: Omit<Parameters<AuditLog["search"]>[0], "limit">) =>
        ids(log.search({ ...o, limit: 50 }).rows);
      expect(s({ actor: "cli" })).toEqual(["maintenance_on", "setting_set", "user_ban"]);
      expect(s({ action: "user_ban" })).toEqual(["user_ban"]);
      expect(s({ action: "user_*" })).toEqual(["user_tier", "user_unban", "user_ban"]);
      expect(s({ action: "user_" })).toEqual([]);
      expect(s({ target: "user:1" })).toEqual(["user_unban", "user_ban"]);
      expect(s({ from: 2000, to: 4000 })).toEqual(["setting_set", "flag_set", "user_unban"]);
      expect(s({ actor: "cli", action: "user_*", from: 1000 })).toEqual(["user_ban"]);
    });

    it("search pages by id: next is the last id of a full page, null on the last page", () => {
      seed();
      const first = log.search({ limit: 4 });
      expect(ids(first.rows)).toEqual(["maintenance_on", "user_tier", "setting_set", "flag_set"]);
      expect(first.next).toBe(first.rows[3]?.id ?? -1);
      const second = log.search({ limit: 4, beforeId: first.next ?? 0 });
      expect(ids(second.rows)).toEqual(["user_unban", "user_ban"]);
      expect(second.next).toBeNull();
      expect(log.search({ limit: 6 }).next).toBeNull();
    });

    it("an entry recorded inside a transaction that fails is rolled back with it", () => {
      const tx = <T>(fn: () => T): T =>
        db.backend.kind === "postgres" ? db.backend.pg.tx(fn) : db.backend.dbh.sqlite.transaction(fn)();
      expect(() =>
        tx(() => {
          log.record({ actor: "cli", action: "doomed" });
          throw new Error("boom");
        }),
      ).toThrow("boom");
      tx(() => log.record({ actor: "cli", action: "kept" }));
      expect(ids(log.recent())).toEqual(["kept"]);
    });
  });
