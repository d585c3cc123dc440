// Bench (issue 13 point 6): page weight per page — what a first visit downloads, gzip-compressed as it
// would travel: the HTML, its stylesheets and its whole module graph (core.js and everything imported).
// Pages are found on disk (web/**/*.html), so new pages are weighed without editing this file. Also the
// total JS under web/ against the 150 KB gzip budget (test/unit/web/js-weight.test.ts asserts it).
// Usage: bun bench/web-weight.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assetsOf, importGraph, WEB_ROOT, webPages, webScripts } from "../test/fixtures/web-pages";
import { fmt } from "./lib";

const KB = 1024;
const size = (path: string) => {
  const bytes = readFileSync(join(WEB_ROOT, path.replace(/^\//, "")));
  return { raw: bytes.length, gz: Bun.gzipSync(bytes).length };
};

console.log("page                      html gz   css gz    js gz  total gz (raw)   modules");
for (const page of webPages("<handle>")) {
  const { scripts, styles } = assetsOf(page);
  const modules = [...new Set(scripts.flatMap(importGraph))];
  const html = size(page.file);
  const css = styles.map(size);
  const js = modules.map(size);
  const sum = (xs: { gz: number }[]) => xs.reduce((s, x) => s + x.gz, 0);
  const raw = html.raw + css.reduce((s, x) => s + x.raw, 0) + js.reduce((s, x) => s + x.raw, 0);
  const total = html.gz + sum(css) + sum(js);
  console.log(
    `${page.url.padEnd(24)} ${fmt(html.gz / KB).padStart(7)} ${fmt(sum(css) / KB).padStart(8)} ${fmt(sum(js) / KB).padStart(8)} ${fmt(total / KB).padStart(9)} (${fmt(raw / KB)})   ${modules.length}`,
  );
}
const all = webScripts().map((f) => size(f).gz);
const total = all.reduce((s, n) => s + n, 0);
console.log(
  `all JS under web/: ${all.length} files, ${fmt(total / KB)} KB gzip — ${fmt((total / (150 * KB)) * 100, 0)} % of the 150 KB budget`,
);
