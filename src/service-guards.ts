// What guards the service's process (src/service.ts): the last-resort handlers for errors nobody handled,
// the start-up probe that the file store (data folder or bucket) can be written, and the warnings about
// config that starts but leaves a feature broken.

import type { Config } from "./config";
import type { FileStore } from "./files";
import type { Logger } from "./log";

/**
 * The last line of defence for the `serve` process (tests running the service in-process keep their own
 * runner's handlers): an error nobody handled is logged with its stack and the service keeps serving —
 * every state that matters is on a row, and recovery copes with what a half-done step left. Errors are
 * meant to be handled where they happen; an `unhandled_error` line in the log is a bug to fix.
 */
export function installProcessGuards(log: Logger): void {
  const report = (kind: string) => (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    log.error("unhandled_error", e.message, {
      kind,
      stack: e.stack,
      code: (err as { code?: unknown } | null)?.code,
    });
  };
  process.on("unhandledRejection", report("unhandledRejection"));
  process.on("uncaughtException", report("uncaughtException"));
}

/** Writes and deletes a probe object (bucket); logs where files live. */
export async function checkFileStore(files: FileStore, log: Logger): Promise<void> {
  // A bucket's transient 5xx (S3 asks clients to retry InternalError) must not stop a node's start-up.
  for (let attempt = 1; ; attempt++) {
    try {
      await files.check();
      break;
    } catch (err) {
      if (attempt < 3 && files.kind !== "local") {
        log.warn("files_check_retry", String(err), { attempt, where: files.where });
        await Bun.sleep(500 * attempt);
        continue;
      }
      throw new Error(`MM_STORAGE_URL: cannot write to ${files.where}: ${String(err)}`, { cause: err });
    }
  }
  log.info("files_ready", files.where, { storage: files.kind, where: files.where });
}

/** Links the bot sends and the payment providers' return URLs are built from MM_PUBLIC_URL. */
export function warnMissingPublicUrl(config: Config, log: Logger): void {
  if (config.MM_PUBLIC_URL) return;
  const fields = { variable: "MM_PUBLIC_URL" };
  if (config.MM_BOT_TOKEN)
    log.warn(
      "config_warning",
      "MM_PUBLIC_URL is empty: links the bot sends (web upload, large results) will not open",
      fields,
    );
  if (config.MM_YOOKASSA_SHOP_ID || config.MM_PLATEGA_MERCHANT_ID)
    log.warn(
      "config_warning",
      "MM_PUBLIC_URL is empty: YooKassa and Platega stay off (their return URL is built from it)",
      fields,
    );
}
