import { describe, expect, it } from "bun:test";
import { createLogger } from "../../../src/log";

describe("createLogger", () => {
  it("writes one JSON object per line with ts, level, event, msg and fields", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l)).child({ task_id: "K7M2QX" });
    log.info("task_success", "done", { duration_ms: 12 });
    log.debug("noise");
    expect(lines.length).toBe(1);
    const rec = JSON.parse(lines[0] as string);
    expect(rec).toMatchObject({
      level: "info",
      event: "task_success",
      msg: "done",
      task_id: "K7M2QX",
      duration_ms: 12,
    });
    expect(Number.isNaN(Date.parse(rec.ts))).toBe(false);
    expect(lines[0]).not.toContain("\n");
  });

  it("never writes secret-looking fields, however deep", () => {
    const lines: string[] = [];
    const log = createLogger("debug", (l) => lines.push(l));
    log.info("config", "", {
      bot_token: "123:ABC",
      nested: { password: "p4ss", authorization: "Bearer xyz" },
    });
    expect(lines[0]).not.toContain("123:ABC");
    expect(lines[0]).not.toContain("p4ss");
    expect(lines[0]).not.toContain("xyz");
    expect(lines[0]).toContain("<redacted>");
  });

  it("serialises errors with their message", () => {
    const lines: string[] = [];
    createLogger("info", (l) => lines.push(l)).error("boom", "", { err: new Error("disk full") });
    expect(JSON.parse(lines[0] as string).err.message).toBe("disk full");
  });
});
