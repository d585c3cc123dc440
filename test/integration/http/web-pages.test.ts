// Every web page (found on disk: web/**/*.html, admin pages with the admin token) and every script and
// stylesheet it loads, from the real service over loopback: 200 with the right type and the security
// headers (a CSP with no unsafe-inline/unsafe-eval, nosniff, Referrer-Policy, frame protection); no inline
// script, style or handler in the HTML (the CSP would block it); each page's script reaches /lib/core.js.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { loadConfig } from "../../../src/config";
import { CONTENT_SECURITY_POLICY } from "../../../src/http/middleware/security-headers";
import { silentLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { tempDir } from "../../fixtures/audio";
import { assetsOf, importGraph, type WebPage, webPages } from "../../fixtures/web-pages";

const ADMIN = "admin-token-for-the-web-pages-test-0123456789";
let service: RunningService;

beforeAll(async () => {
  const dir = await tempDir("mm-webpages-");
  service = await startService(
    loadConfig({ PORT: "0", MM_DATA_DIR: join(dir, "data"), MM_WORKERS: "1", MM_ADMIN_TOKEN: ADMIN }),
    silentLogger,
  );
});
afterAll(async () => {
  await service?.stop();
});

const get = async (page: WebPage, path: string) => {
  const res = await fetch(`${service.url}${path}`, {
    headers: page.admin ? { authorization: `Bearer ${ADMIN}` } : {},
    redirect: "manual",
  });
  return { res, body: await res.text() };
};

/** The header facts the issue asks of every page, as one comparable object. */
function headerFacts(res: Response) {
  const csp = res.headers.get("content-security-policy") ?? "";
  const scriptSrc = /(?:^|;\s*)script-src ([^;]*)/.exec(csp)?.[1] ?? "";
  return {
    csp: csp === CONTENT_SECURITY_POLICY,
    scriptSrcSafe: scriptSrc !== "" && !/unsafe-inline|unsafe-eval|\*|data:/.test(scriptSrc),
    frameAncestors: /frame-ancestors 'none'/.test(csp),
    xFrame: res.headers.get("x-frame-options"),
    nosniff: res.headers.get("x-content-type-options"),
    referrer: res.headers.get("referrer-policy"),
  };
}
const SAFE = {
  csp: true,
  scriptSrcSafe: true,
  frameAncestors: true,
  xFrame: "DENY",
  nosniff: "nosniff",
  referrer: "no-referrer",
};

describe("every web page", () => {
  const pages = webPages();

  it("the list is found on disk and includes the master, job and reset pages", () => {
    const urls = pages.map((p) => p.url);
    expect(urls).toContain("/");
    expect(urls.some((u) => u.startsWith("/job/"))).toBe(true);
    expect(urls).toContain("/reset-password");
  });

  for (const page of pages)
    it(`${page.url} (web/${page.file}): 200 HTML with the security headers, no inline code, assets served safely`, async () => {
      const { res, body } = await get(page, page.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(headerFacts(res)).toEqual(SAFE);
      expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(body).toMatch(/<html lang="[a-z]{2}">/);
      expect(body).toMatch(/<main\b/);

      const { scripts, styles, inline } = assetsOf(page);
      expect(inline).toEqual([]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const entry of scripts) {
        const graph = importGraph(entry);
        expect(graph).toContain("/lib/core.js");
        for (const mod of graph) {
          const a = await get(page, mod);
          expect({ mod, status: a.res.status, type: a.res.headers.get("content-type") ?? "" }).toMatchObject({
            mod,
            status: 200,
            type: expect.stringContaining("javascript"),
          });
          expect(headerFacts(a.res)).toEqual(SAFE);
          // Same origin only: the CSP would block anything else.
          expect(a.body).not.toMatch(/\bfrom\s*["']https?:|import\(\s*["']https?:/);
        }
      }
      for (const css of styles) {
        const a = await get(page, css);
        expect({ css, status: a.res.status, type: a.res.headers.get("content-type") ?? "" }).toMatchObject({
          css,
          status: 200,
          type: expect.stringContaining("text/css"),
        });
        expect(headerFacts(a.res)).toEqual(SAFE);
      }
    });
});
