// `magic-master serve`: start the service, stop it gracefully on SIGTERM/SIGINT within 10 s.
import { loadConfig } from "../config";
import { createLogger } from "../log";
import { installProcessGuards, startService } from "../service";
import { parseArgs } from "./args";
import { type Command, UsageError } from "./types";

/** Hard limit for a graceful stop; systemd's TimeoutStopSec is set above it. */
const SHUTDOWN_BUDGET_MS = 9_500;

export const serveCommand: Command = {
  summary: "run the service (HTTP API, web app, bot, scheduler, workers) — the default",
  usage: "usage: magic-master [--env-file FILE] serve",
  async run(args, io) {
    const { positionals } = parseArgs(args, {});
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const config = loadConfig(io.env, io.envFile);
    const log = createLogger(config.MM_LOG_LEVEL);
    installProcessGuards(log);
    const service = await startService(config, log);

    const stopped = Promise.withResolvers<void>();
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info("shutdown_started", signal, { signal });
      const hard = setTimeout(() => {
        log.error("shutdown_forced", "graceful shutdown took too long");
        process.exit(1);
      }, SHUTDOWN_BUDGET_MS);
      service.stop().finally(() => {
        clearTimeout(hard);
        stopped.resolve();
      });
    };
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
    await stopped.promise;
    return 0;
  },
};
