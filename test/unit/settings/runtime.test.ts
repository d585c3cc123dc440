// Runtime settings (createRuntime(backend, base)) on both backends: a value set over the env one is what
// the live config reads, within the cache window in another process; reset goes back to the env value;
// unknown keys and invalid values are refused and nothing is written; secrets are never shown; every
// change is audited with before/after; a stored value the schema refuses falls back to the env value.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { createAuditLog } from "../../../src/db";
import { createRuntime } from "../../../src/settings";
import { type TestDb, testBackends } from "../../fixtures/backends";

const base = loadConfig({ MM_RATE_LIMIT_PER_MIN: "120", MM_SMTP_URL: "" });
const admin = { actor: "user:1", ip: "198.51.100.7" };

for (const b of testBackends("the runtime settings suite"))
  describe.skipIf(b.skip ?? false)(`runtime settings on ${b.name}`, () => {
    let db: TestDb;
    beforeEach(() => {
      db = b.open();
    });
    afterEach(() => db.close());
    const audit = () => createAuditLog(db.backend).recent();

    it("set overrides the env value in the live config, reset goes back to it; both audited", () => {
      const rt = createRuntime(db.backend, base, { now: () => 777 });
      const live = rt.liveConfig(base);
      expect(live.MM_RATE_LIMIT_PER_MIN).toBe(120);
      const v = rt.set("rate_limit_per_min", "7", admin);
      expect(v).toMatchObject({ key: "rate_limit_per_min", value: "7", default: "120", overridden: true });
      expect(v.updated_at).toBe(777);
      expect(live.MM_RATE_LIMIT_PER_MIN).toBe(7);
      rt.set("rate_limit_per_min", null, { actor: "cli" });
      expect(live.MM_RATE_LIMIT_PER_MIN).toBe(120);
      expect(rt.list().find((s) => s.key === "rate_limit_per_min")).toMatchObject({ overridden: false });
      expect(audit().map((a) => [a.actor, a.action, a.target, a.ip, a.before, a.after])).toEqual([
        ["cli", "setting_reset", "setting:rate_limit_per_min", null, '"7"', '"120"'],
        ["user:1", "setting_set", "setting:rate_limit_per_min", "198.51.100.7", '"120"', '"7"'],
      ]);
    });

    it("another process's change takes effect within cacheMs", () => {
      let now = 1_000_000;
      const service = createRuntime(db.backend, base, { cacheMs: 2000, now: () => now }).liveConfig(base);
      expect(service.MM_RATE_LIMIT_PER_MIN).toBe(120);
      createRuntime(db.backend, base, { cacheMs: 0 }).set("rate_limit_per_min", "9", { actor: "cli" });
      expect(service.MM_RATE_LIMIT_PER_MIN).toBe(120); // still cached
      now += 2001;
      expect(service.MM_RATE_LIMIT_PER_MIN).toBe(9);
    });

    it("refuses an unknown key and an invalid value, writing nothing", () => {
      const rt = createRuntime(db.backend, base);
      expect(() => rt.set("nope", "1", admin)).toThrow(expect.objectContaining({ code: "setting_unknown" }));
      expect(() => rt.set("rate_limit_per_min", "lots", admin)).toThrow(
        expect.objectContaining({ code: "setting_invalid" }),
      );
      expect(db.all("SELECT key FROM settings")).toEqual([]);
      expect(audit()).toEqual([]);
    });

    it("never shows a secret's value, only whether it is set; the audit says (secret)", () => {
      const rt = createRuntime(db.backend, base);
      const v = rt.set("smtp_url", "smtps://u:p@mail.example:465", admin);
      expect(v).toMatchObject({ secret: true, value: null, default: null, set: true, overridden: true });
      expect(rt.liveConfig(base).MM_SMTP_URL).toBe("smtps://u:p@mail.example:465");
      expect(audit()[0]).toMatchObject({ before: '""', after: '"(secret)"' });
    });

    it("a stored value the schema refuses (an older build wrote it) falls back to the env value", () => {
      db.exec(
        `INSERT INTO settings (key, value, updated_at) VALUES ('runtime:rate_limit_per_min', '"-5"', 1), ('runtime:alert_queue', '{', 1), ('runtime:gone', '"1"', 1)`,
      );
      const rt = createRuntime(db.backend, base);
      expect(rt.liveConfig(base).MM_RATE_LIMIT_PER_MIN).toBe(120);
      expect(rt.list().filter((s) => s.overridden)).toEqual([]);
    });
  });
