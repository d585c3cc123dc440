// Feature flags and maintenance mode in the settings table: defaults, audit, and the short read cache —
// the same suite on both backends (SQLite file, harness Postgres), through createSettings(backend).
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { z } from "zod";
import { createAuditLog } from "../../../src/db";
import { createSettings, createSettingsStore } from "../../../src/settings";
import { type TestDb, testBackends } from "../../fixtures/backends";

for (const b of testBackends("the settings suite"))
  describe.skipIf(b.skip ?? false)(`settings on ${b.name}`, () => {
    let db: TestDb;
    beforeEach(() => {
      db = b.open();
    });
    afterEach(() => db.close());
    const audit = () => createAuditLog(db.backend).recent();

    describe("flags", () => {
      it("answer the fallback until set, then the stored value; each change is audited", () => {
        const s = createSettings(db.backend);
        expect(s.flag("style_settings")).toBe(false);
        expect(s.flag("style_settings", true)).toBe(true);
        s.setFlag("style_settings", true, "cli");
        s.setFlag("batch_upload", false, "tg:1");
        expect(s.flag("style_settings")).toBe(true);
        expect(s.flag("batch_upload", true)).toBe(false);
        expect(s.flags()).toEqual({ batch_upload: false, style_settings: true });
        const rows = audit();
        expect(rows.map((a) => [a.actor, a.action, a.target])).toEqual([
          ["tg:1", "flag_set", "flag:batch_upload"],
          ["cli", "flag_set", "flag:style_settings"],
        ]);
        expect(JSON.parse(rows[1]?.details ?? "{}")).toEqual({ from: null, to: true });
        expect([rows[0]?.before, rows[0]?.after]).toEqual(["null", "false"]);
      });

      it("reject names that are not lower snake case", () => {
        const s = createSettings(db.backend);
        for (const bad of ["", "X", "New-UI", "a b", "1abc", "x".repeat(41)])
          expect(() => s.setFlag(bad, true, "cli")).toThrow(
            expect.objectContaining({ code: "invalid_flag_name" }),
          );
        expect(audit()).toEqual([]);
      });

      it("take effect in another process within cacheMs, without a restart", () => {
        let now = 1_000_000;
        const service = createSettings(db.backend, { cacheMs: 2000, now: () => now });
        const cli = createSettings(db.backend, { cacheMs: 0 });
        expect(service.flag("new_ui")).toBe(false);
        cli.setFlag("new_ui", true, "cli");
        expect(service.flag("new_ui")).toBe(false); // still cached
        now += 2001;
        expect(service.flag("new_ui")).toBe(true);
      });

      it("ignore a hand-edited value that is not a boolean", () => {
        db.exec(
          "INSERT INTO settings (key, value, updated_at) VALUES ('flag:odd', '\"yes\"', 0), ('flag:broken', '{', 0)",
        );
        const s = createSettings(db.backend);
        expect(s.flag("odd", true)).toBe(true);
        expect(s.flags()).toEqual({});
      });
    });

    describe("maintenance", () => {
      it("is off by default, carries the operator's message while on, and is audited", () => {
        const s = createSettings(db.backend, { now: () => 5000 });
        expect(s.isMaintenance()).toBe(false);
        expect(s.maintenanceMessage()).toBe("");
        const on = s.setMaintenance(true, "  Обновляем сервер до 15:00  ", "cli");
        expect(on).toEqual({ on: true, message: "Обновляем сервер до 15:00", since: 5000, by: "cli" });
        expect(s.isMaintenance()).toBe(true);
        expect(s.maintenanceMessage()).toBe("Обновляем сервер до 15:00");
        s.setMaintenance(false, undefined, { actor: "http:admin", ip: "198.51.100.7" });
        expect(s.maintenance()).toEqual({ on: false, message: "", since: null, by: null });
        expect(audit().map((a) => [a.actor, a.action, a.ip])).toEqual([
          ["http:admin", "maintenance_off", "198.51.100.7"],
          ["cli", "maintenance_on", null],
        ]);
      });

      it("refuses a message longer than 500 characters", () => {
        const s = createSettings(db.backend);
        expect(() => s.setMaintenance(true, "x".repeat(501), "cli")).toThrow(
          expect.objectContaining({ code: "maintenance_message_too_long" }),
        );
        expect(s.isMaintenance()).toBe(false);
      });
    });

    describe("machine state", () => {
      it("readState answers a valid stored value, undefined for a missing or malformed one; not audited", () => {
        const shape = z.object({ active: z.boolean() });
        const s = createSettings(db.backend, { now: () => 42 });
        expect(s.readState("alert:queue", shape)).toBeUndefined();
        s.writeState("alert:queue", { active: true });
        expect(s.readState("alert:queue", shape)).toEqual({ active: true });
        s.writeState("alert:queue", { active: "yes" });
        expect(s.readState("alert:queue", shape)).toBeUndefined();
        expect(audit()).toEqual([]);
      });
    });

    describe("the store", () => {
      it("list takes keys by exact prefix ('_' is no wildcard), in byte order; write replaces", () => {
        const st = createSettingsStore(db.backend);
        for (const [k, at] of [
          ["flag:b", 1],
          ["flag:B", 2],
          ["flag:a_b", 3],
          ["flag:aXb", 4],
          ["flagXa", 5],
          ["flag:_", 6],
        ] as const)
          st.write(k, "true", at);
        st.write("flag:b", "false", 9);
        expect(st.list("flag:").map((r) => r.key)).toEqual([
          "flag:B",
          "flag:_",
          "flag:aXb",
          "flag:a_b",
          "flag:b",
        ]);
        expect(st.list("flag:a_")).toEqual([{ key: "flag:a_b", value: "true", updatedAt: 3 }]);
        expect(st.read("flag:b")).toEqual({ key: "flag:b", value: "false", updatedAt: 9 });
        expect(st.read("flag:none")).toBeUndefined();
      });
    });
  });
