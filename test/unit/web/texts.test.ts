// Every text key a page names literally — `t("key")` in web/**/*.js, `data-i18n*="key"` in web/**/*.html —
// is in the RU/EN catalogue the page loads (GET /api/i18n/:lang serves web_*, audio_changed_*, … keys), in
// both languages: a missing key would show the bare key to the user. Admin pages load their own source.
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allMessages } from "../../../src/i18n";
import { WEB_ROOT, webPages, webScripts } from "../../fixtures/web-pages";

const PAGE_KEYS = /^(web_|audio_platform_|audio_changed_|audio_auto_)/;

function keysIn(file: string, text: string): string[] {
  const re = file.endsWith(".html")
    ? /data-i18n(?:-label|-placeholder)?="([a-z0-9_]+)"/g
    : /\bt\(\s*"([a-z0-9_]+)"/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? "");
}

describe("web texts", () => {
  it("every literal text key of a public page is in the catalogue, in RU and EN", () => {
    const all = allMessages();
    const files = [...webScripts(), ...webPages().map((p) => p.file)].filter((f) => !f.startsWith("admin/"));
    const missing: string[] = [];
    let seen = 0;
    for (const f of files)
      for (const key of keysIn(f, readFileSync(join(WEB_ROOT, f), "utf8"))) {
        seen++;
        const m = all[key];
        if (!m?.ru || !m.en || !PAGE_KEYS.test(key)) missing.push(`${f}: ${key}`);
      }
    expect(seen).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
