// The JavaScript the web app ships stays small: every script under web/ (public and admin pages, shared
// modules, chart code) gzipped, summed, under 150 KB — the budget. Also no page's module graph
// reaches outside our origin (a CDN script would be blocked by the CSP and dodge this budget).
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assetsOf, importGraph, WEB_ROOT, webPages, webScripts } from "../../fixtures/web-pages";

const BUDGET = 150 * 1024;
const gz = (file: string) => Bun.gzipSync(readFileSync(join(WEB_ROOT, file))).length;

describe("JS weight", () => {
  it("all scripts under web/ together are < 150 KB gzip", () => {
    const sizes = webScripts().map((f) => [f, gz(f)] as const);
    const total = sizes.reduce((s, [, n]) => s + n, 0);
    console.log(`web JS: ${sizes.length} files, ${(total / 1024).toFixed(1)} KB gzip of ${BUDGET / 1024} KB`);
    expect(sizes.length).toBeGreaterThan(3);
    expect(total).toBeLessThan(BUDGET);
  });

  it("each page's module graph is files of ours, all counted above", () => {
    const all = new Set(webScripts().map((f) => `/${f}`));
    for (const page of webPages())
      for (const entry of assetsOf(page).scripts)
        for (const mod of importGraph(entry))
          expect({ page: page.url, mod, ours: all.has(mod) }).toEqual({ page: page.url, mod, ours: true });
  });
});
