// `magic-master serve`: start the service, stop it gracefully on SIGTERM/SIGINT within 10 s.
import { loadConfig } from "../config";
import { createLogger } from "../log";
import { parseRoles, roleList } from "../ops";
import { installProcessGuards, startService } from "../service";
import { parseArgs } from "./args";
import { type Command, UsageError } from "./types";

/** Hard limit for a graceful stop; systemd's TimeoutStopSec is set above it. */
const SHUTDOWN_BUDGET_MS = 9_500;

export const serveCommand: Command = {
  summary: "run the service (HTTP API, web app, bot, scheduler, workers) — the default",
  usage: "usage: magic-master [--env-file FILE] serve [--role api,worker,bot,scheduler]",
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, { role: { type: "string" } });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    let roles: ReturnType<typeof parseRoles>;
    try {
      roles = parseRoles(typeof flags.role === "string" ? flags.role : "api,worker,bot,scheduler");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const config = loadConfig(io.env, io.envFile);
    const log = createLogger(config.MM_LOG_LEVEL);
    installProcessGuards(log);
    const service = await startService(config, log, roles);
    log.info("roles", roleList(roles).join(","), { roles: roleList(roles) });

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
