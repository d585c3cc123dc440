// The set-up the master page's browser tests share: the in-process service with the web pages on, and
// Chromium unless it is missing (browserMissing has then logged why the tests skip); and their teardown.
import type { Browser } from "playwright-core";
import { cleanup } from "../fixtures/audio";
import { launchBrowser } from "../fixtures/browser";
import { type Harness, startApi } from "../integration/api/harness";

/** Starts the service (pages on) and then, when there is one, the browser. */
export async function startWebRig(noBrowser: boolean): Promise<{ h: Harness; browser: Browser | null }> {
  const h = await startApi({}, { web: true });
  return { h, browser: noBrowser ? null : await launchBrowser() };
}

/** Closes what a web test started (either may be missing after a failed set-up) and removes its files. */
export async function stopWebRig(
  browser: Browser | null,
  h: Harness | undefined,
  dir: string,
): Promise<void> {
  await browser?.close();
  await h?.stop();
  await cleanup(dir);
  if (h) await cleanup(h.dir);
}
