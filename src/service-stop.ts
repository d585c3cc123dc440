// The service's stop (src/service.ts), in the order that loses nothing: uploads cut first (their partial
// files removed), HTTP stops accepting, the leaders, bot and scheduler stop, messages and mails already
// accepted get a few seconds, running jobs are handed back to the queue, file deletes and bot sends in
// flight settle their rows, and only then does the database close. Each step is logged (`shutdown_step`,
// debug: which step a slow stop is in, and what tests wait on instead of time); a failing step is logged
// and the next one still runs.

import type { Logger } from "./log";

/** What the stop winds down: each part the service built (a cluster only on Postgres). */
export type StopParts = {
  log: Logger;
  uploads: { abortAll(): unknown };
  server: { stop(closeActive: boolean): Promise<void> };
  cluster?: { stopLeading(): unknown; stop(): unknown } | null;
  bot: { stop(): Promise<void>; idle(): Promise<void> };
  scheduler: { stop(ms: number): Promise<void> };
  receipts: { idle(): Promise<void> };
  notifier: { stop(): unknown };
  mail: { idle(): Promise<void> };
  mailer: { close(): void };
  jobs: { stop(ms: number): Promise<void> };
  files: { settled(): Promise<void> };
  closeDb: () => void;
  releaseLock: () => void;
};

export function createStop(p: StopParts): () => Promise<void> {
  const { log } = p;
  const step = async (name: string, fn: () => unknown) => {
    log.debug("shutdown_step", name, { step: name });
    try {
      await fn();
    } catch (err) {
      log.error("shutdown_step_failed", name, { step: name, err });
    }
  };
  return async () => {
    const t0 = performance.now();
    // Uploads in progress are cut first and their partial files removed (they would hold the HTTP stop).
    await step("uploads", () => p.uploads.abortAll());
    // Stop accepting; give in-flight requests a moment, then cut long-lived streams (SSE).
    await step("http", async () => {
      await Promise.race([p.server.stop(false), Bun.sleep(2500)]);
      await p.server.stop(true);
    });
    await step("leaders", () => p.cluster?.stopLeading());
    await step("bot", () => p.bot.stop());
    await step("scheduler", () => p.scheduler.stop(2000));
    await step("receipts", () => Promise.race([p.receipts.idle(), Bun.sleep(5000)]));
    await step("notifier", () => p.notifier.stop());
    // Mails already accepted by a request get a few seconds to leave; then the transport closes.
    await step("mail", async () => {
      await Promise.race([p.mail.idle(), Bun.sleep(5000)]);
      p.mailer.close();
    });
    // Running jobs are aborted and their rows re-queued for the next start (restart recovery).
    await step("jobs", () => p.jobs.stop(3500));
    // Deletes still going to the bucket get a moment; the orphan sweep finishes any left behind.
    await step("files", () => Promise.race([p.files.settled(), Bun.sleep(3000)]));
    // Results and album reports already going out to Telegram settle their rows (sent) before the
    // database closes; one still sending after 10 s stays claimed, and the next leader sends it once its
    // lease runs out.
    await step("bot_deliveries", () => Promise.race([p.bot.idle(), Bun.sleep(10_000)]));
    await step("cluster", () => p.cluster?.stop());
    await step("db", () => p.closeDb());
    p.releaseLock();
    log.info("shutdown_done", "stopped", { ms: Math.round(performance.now() - t0) });
  };
}
