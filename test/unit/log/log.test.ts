import { describe, expect, it } from "bun:test";
import { createLogger, redactUrl } from "../../../src/log";

describe("createLogger", () => {
  it("writes one JSON object per line with ts, level, event, msg and fields", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l)).child({ task_id: "K7M2QX" });
    log.info("job_succeeded", "done", { duration_ms: 12 });
    log.debug("noise");
    expect(lines.length).toBe(1);
    const rec = JSON.parse(lines[0] as string);
    expect(rec).toMatchObject({
      level: "info",
      event: "job_succeeded",
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

describe("redactUrl", () => {
  const token = "Yq3o0cT2m3bX_9-Zr5kWQvHh7nA1LpUe0sDf8gJiKtR";
  it("keeps a job handle's id and drops its token, in any path position and percent-encoded", () => {
    expect(redactUrl(`/api/jobs/K7M2QX.${token}`)).toBe("/api/jobs/K7M2QX.<redacted>");
    expect(redactUrl(`/api/jobs/K7M2QX.${token}/events`)).toBe("/api/jobs/K7M2QX.<redacted>/events");
    expect(redactUrl(`/api/master/result/K7M2QX%2E${token}`)).toBe("/api/master/result/K7M2QX.<redacted>");
  });
  it("redacts secret-looking query values and keeps the rest", () => {
    expect(redactUrl(`/api/jobs/K7M2QX?token=${token}&lang=ru`)).toBe(
      "/api/jobs/K7M2QX?token=<redacted>&lang=ru",
    );
    expect(redactUrl(`/x?lang=en&%74oken=${token}&api_key=mm_1`)).toBe(
      "/x?lang=en&%74oken=<redacted>&api_key=<redacted>",
    );
  });
  it("leaves ordinary file names alone", () => {
    for (const p of ["/app.js", "/style.css", "/favicon.svg", "/status.css", "/api/i18n/ru"])
      expect(redactUrl(p)).toBe(p);
  });
});
