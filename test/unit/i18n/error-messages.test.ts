// Error code → text happens in one function (errorMessage) for HTTP, bot and CLI. Every code our code
// throws must have a message in both languages, so no caller ever shows a bare key or the fallback.
import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { AppError } from "../../../src/errors";
import { errorMessage, failureText, hasMessage, t } from "../../../src/i18n";

const SRC = resolve(import.meta.dir, "../../../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every literal code in `new AppError("code", …)` under src/. */
const thrownCodes = [
  ...new Set(
    files(SRC).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/AppError\(\s*"([a-z0-9_]+)"/g)].map((m) => m[1]),
    ),
  ),
].sort() as string[];

describe("error messages", () => {
  it("every code thrown under src/ has a message in RU and EN", () => {
    expect(thrownCodes.length).toBeGreaterThan(30);
    expect(thrownCodes.filter((c) => !hasMessage(c))).toEqual([]);
    for (const code of thrownCodes) {
      expect(errorMessage("en", code)).not.toBe(code);
      expect(errorMessage("ru", code)).not.toBe(errorMessage("en", code));
    }
  });

  it("no file outside src/i18n translates a code itself (t(lang, x.code) or hasMessage(x.code))", () => {
    const adHoc = files(SRC)
      .filter((f) => !f.includes("/src/i18n/"))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${f.slice(SRC.length + 1)}:${i + 1}` }))
          .filter(({ line }) => /\b(t|t2|hasMessage)\([^)]*\b(code|errorCode)\b/.test(line))
          .map(({ at }) => at),
      );
    expect(adHoc).toEqual([]);
  });

  it("fills the code's params and falls back to a sentence naming an unknown code", () => {
    expect(errorMessage("en", "user_not_found", { ref: "@bob" })).toBe("User not found: @bob");
    expect(errorMessage("en", "no_such_code_x")).toBe("processing error (no_such_code_x)");
    expect(errorMessage("ru", "no_such_code_x")).toBe("ошибка обработки (no_such_code_x)");
  });

  it("gives operators an AppError's text and any other error's own message", () => {
    expect(failureText("en", new AppError("user_not_found", 404, { ref: "7" }))).toBe(
      t("en", "user_not_found", { ref: "7" }),
    );
    expect(failureText("en", new Error("disk on fire"))).toBe("disk on fire");
    expect(failureText("en", "plain")).toBe("plain");
  });
});
