// Feature flags and maintenance mode in the settings table: defaults, audit, and the short read cache.
import { describe, expect, it } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDb, recentAudit, runMigrations } from "../../../src/db";
import { createSettings } from "../../../src/settings";

function db() {
  const h = openDb(join(mkdtempSync(join(tmpdir(), "mm-settings-")), "x.db"));
  runMigrations(h);
  return h;
}

describe("flags", () => {
  it("answer the fallback until set, then the stored value; each change is audited", () => {
    const h = db();
    const s = createSettings(h.db);
    expect(s.flag("style_settings")).toBe(false);
    expect(s.flag("style_settings", true)).toBe(true);
    s.setFlag("style_settings", true, "cli");
    s.setFlag("batch_upload", false, "tg:1");
    expect(s.flag("style_settings")).toBe(true);
    expect(s.flag("batch_upload", true)).toBe(false);
    expect(s.flags()).toEqual({ batch_upload: false, style_settings: true });
    const audit = recentAudit(h.db);
    expect(audit.map((a) => [a.actor, a.action, a.target])).toEqual([
      ["tg:1", "flag_set", "flag:batch_upload"],
      ["cli", "flag_set", "flag:style_settings"],
    ]);
    expect(JSON.parse(audit[1]?.details ?? "{}")).toEqual({ from: null, to: true });
  });

  it("reject names that are not lower snake case", () => {
    const s = createSettings(db().db);
    for (const bad of ["", "X", "New-UI", "a b", "1abc", "x".repeat(41)])
      expect(() => s.setFlag(bad, true, "cli")).toThrow(
        expect.objectContaining({ code: "invalid_flag_name" }),
      );
  });

  it("take effect in another process within cacheMs, without a restart", () => {
    const h = db();
    let now = 1_000_000;
    const service = createSettings(h.db, { cacheMs: 2000, now: () => now });
    const cli = createSettings(h.db, { cacheMs: 0 });
    expect(service.flag("new_ui")).toBe(false);
    cli.setFlag("new_ui", true, "cli");
    expect(service.flag("new_ui")).toBe(false); // still cached
    now += 2001;
    expect(service.flag("new_ui")).toBe(true);
  });

  it("ignore a hand-edited value that is not a boolean", () => {
    const h = db();
    h.sqlite.run(
      "INSERT INTO settings (key, value, updated_at) VALUES ('flag:odd', '\"yes\"', 0), ('flag:broken', '{', 0)",
    );
    const s = createSettings(h.db);
    expect(s.flag("odd", true)).toBe(true);
    expect(s.flags()).toEqual({});
  });
});

describe("maintenance", () => {
  it("is off by default, carries the operator's message while on, and is audited", () => {
    const h = db();
    const s = createSettings(h.db, { now: () => 5000 });
    expect(s.isMaintenance()).toBe(false);
    expect(s.maintenanceMessage()).toBe("");
    const on = s.setMaintenance(true, "  Обновляем сервер до 15:00  ", "cli");
    expect(on).toEqual({ on: true, message: "Обновляем сервер до 15:00", since: 5000, by: "cli" });
    expect(s.isMaintenance()).toBe(true);
    expect(s.maintenanceMessage()).toBe("Обновляем сервер до 15:00");
    s.setMaintenance(false, undefined, "http:admin");
    expect(s.maintenance()).toEqual({ on: false, message: "", since: null, by: null });
    expect(recentAudit(h.db).map((a) => [a.actor, a.action])).toEqual([
      ["http:admin", "maintenance_off"],
      ["cli", "maintenance_on"],
    ]);
  });

  it("refuses a message longer than 500 characters", () => {
    const s = createSettings(db().db);
    expect(() => s.setMaintenance(true, "x".repeat(501), "cli")).toThrow(
      expect.objectContaining({ code: "maintenance_message_too_long" }),
    );
    expect(s.isMaintenance()).toBe(false);
  });
});
