import { describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, envReport, loadConfig } from "../../../src/config";
import { configMarkdownTable, envFileTemplate } from "../../../src/config/docs";
import { ENV_NAMES } from "../../../src/config/schema";
import { listFiles } from "../../fixtures/files";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.name}: ${p.error}`);
    throw err;
  }
  return [];
}

describe("loadConfig", () => {
  it("gives the documented defaults on an empty environment", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.MM_HOST).toBe("127.0.0.1");
    expect(c.MM_DATA_DIR).toBe("./data");
    expect(c.MM_JOB_TIMEOUT_S).toBe(1800);
    expect(c.MM_DISK_LOW_MB).toBe(200);
    expect(c.MM_WORKERS).toBeGreaterThanOrEqual(1);
    expect(c.MM_BOT_TOKEN).toBe("");
    expect(c.MM_ADMIN_IDS).toEqual([]);
  });

  it("parses lists and numbers", () => {
    const c = loadConfig({
      MM_ADMIN_IDS: "1, 22 ,333",
      MM_CORS_ORIGINS: "https://a.example,https://b.example",
      PORT: "0",
    });
    expect(c.MM_ADMIN_IDS).toEqual(["1", "22", "333"]);
    expect(c.MM_CORS_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
    expect(c.PORT).toBe(0);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ["a non-numeric port", { PORT: "http" }, /^PORT: must be a whole number/],
    ["a port out of range", { PORT: "70000" }, /^PORT: .*(65535|too big)/i],
    ["an unknown log level", { MM_LOG_LEVEL: "loud" }, /^MM_LOG_LEVEL: .*got "loud"/],
    ["zero workers", { MM_WORKERS: "0" }, /^MM_WORKERS: /],
    ["a fractional timeout", { MM_JOB_TIMEOUT_S: "1.5" }, /^MM_JOB_TIMEOUT_S: must be a whole number/],
    ["a public URL that is not a URL", { MM_PUBLIC_URL: "magic master" }, /^MM_PUBLIC_URL: /],
    [
      "a database URL that is not Postgres (value masked: it may hold a password)",
      { MM_DATABASE_URL: "mysql://u:pw@db/mm" },
      /^MM_DATABASE_URL: must be postgres:\/\/user:password@host:port\/database \(got "<redacted>"\)/,
    ],
    ["a Postgres URL without a database", { MM_DATABASE_URL: "postgres://u@db:5432" }, /^MM_DATABASE_URL: /],
    ["non-numeric admin ids", { MM_ADMIN_IDS: "1,@boss" }, /^MM_ADMIN_IDS: must be numeric Telegram ids/],
    ["a bad admin chat id", { MM_ADMIN_CHAT_ID: "chat" }, /^MM_ADMIN_CHAT_ID: must be a numeric chat id/],
    ["a negative disk threshold", { MM_DISK_LOW_MB: "-5" }, /^MM_DISK_LOW_MB: /],
    [
      "a short admin token (value masked)",
      { MM_ADMIN_TOKEN: "short" },
      /^MM_ADMIN_TOKEN: must be at least 16 characters \(got "<redacted>"\)/,
    ],
    [
      "a broken cron expression",
      { MM_CRON_BACKUP: "daily" },
      /^MM_CRON_BACKUP: must be a cron expression or 'off'/,
    ],
    ["a failure rate above 1", { MM_ALERT_FAILURE_RATE: "1.5" }, /^MM_ALERT_FAILURE_RATE: /],
  ];
  for (const [name, env, pattern] of bad) {
    it(`rejects ${name}, naming the variable`, () => {
      const problems = problemsOf(env);
      expect(problems.length).toBe(1);
      expect(problems[0]).toMatch(pattern);
    });
  }

  it("reports every bad variable at once", () => {
    expect(problemsOf({ PORT: "x", MM_WORKERS: "y" }).map((p) => p.split(":")[0])).toEqual([
      "PORT",
      "MM_WORKERS",
    ]);
  });

  it("reads an env file, with the real environment winning", () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-cfg-"));
    const file = join(dir, "env");
    writeFileSync(file, "# comment\nexport PORT=9090\nMM_HOST='0.0.0.0'\n\nMM_LOG_LEVEL=debug\n");
    const c = loadConfig({ MM_LOG_LEVEL: "warn" }, file);
    expect(c.PORT).toBe(9090);
    expect(c.MM_HOST).toBe("0.0.0.0");
    expect(c.MM_LOG_LEVEL).toBe("warn");
  });

  it("names the file and line of a malformed env file", () => {
    const dir = mkdtempSync(join(tmpdir(), "mm-cfg-"));
    const file = join(dir, "env");
    writeFileSync(file, "PORT=1\nthis is not an assignment\n");
    expect(() => loadConfig({}, file)).toThrow(/env:2: expected KEY=value/);
  });

  it("fails clearly on a missing env file", () => {
    expect(() => loadConfig({}, "/nonexistent/env")).toThrow(/--env-file: cannot read \/nonexistent\/env/);
  });
});

describe("envReport", () => {
  it("lists every variable, masks secrets and marks errors", () => {
    const rows = envReport({ MM_BOT_TOKEN: "123:SECRET", PORT: "nope" });
    expect(rows.map((r) => r.name)).toEqual(ENV_NAMES);
    const token = rows.find((r) => r.name === "MM_BOT_TOKEN");
    expect(token?.value).toBe("<redacted>");
    expect(JSON.stringify(rows)).not.toContain("123:SECRET");
    const port = rows.find((r) => r.name === "PORT");
    expect(port?.ok).toBe(false);
    expect(port?.source).toBe("env");
  });
});

describe("configuration docs", () => {
  it("README's table is the one generated from the schema", () => {
    const readme = readFileSync(join(import.meta.dir, "../../../README.md"), "utf8");
    const block = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(block).toBe(configMarkdownTable());
  });

  it("the env template mentions every variable", () => {
    const tpl = envFileTemplate();
    for (const name of ENV_NAMES) expect(tpl).toContain(`#${name}=`);
  });
});

describe("config boundary", () => {
  it("no file outside src/config reads process.env or Bun.env", () => {
    const root = join(import.meta.dir, "../../../src");
    const offenders = listFiles(root).filter(
      (p) =>
        p.endsWith(".ts") &&
        !p.includes("/src/config/") &&
        !p.endsWith("/src/main.ts") &&
        /process\.env|Bun\.env/.test(readFileSync(p, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
