// `magic-master cron list` and `magic-master cron run <name>`: the scheduler's tasks, runnable by hand
// (also while the service runs: SQLite WAL lets both processes work). Logs go to stderr, results to stdout.

import { Api } from "grammy";
import { failureText } from "../i18n";
import { createLogger } from "../log";
import { createNotifier, installOutgoingPolicy, mailerFor } from "../notify";
import { createScheduler, nextRunOf, subscriptionDeps, TASKS } from "../scheduler";
import { parseArgs } from "./args";
import { cliContext, printRecord, withServices } from "./context";
import { type Command, type ExitCode, UsageError } from "./types";

/** Aligned columns with a header row; objects are printed as JSON, null as "-". */
export function formatTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cell = (v: unknown) =>
    v === null || v === undefined ? "-" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(columns), ...cells.map(line)].join("\n");
}

/** The Bot API client for user messages (subscription warnings), with the shared outgoing policy. */
function botApi(config: ReturnType<typeof cliContext>["config"], log: ReturnType<typeof createLogger>) {
  if (!config.MM_BOT_TOKEN) return undefined;
  const api = new Api(config.MM_BOT_TOKEN, { apiRoot: config.MM_TELEGRAM_API_ROOT });
  installOutgoingPolicy(api, { log });
  return api;
}

const USAGE = [
  "usage: magic-master cron list [--json]",
  "       magic-master cron run <name> [--json]",
  `tasks: ${TASKS.map((task) => task.name).join(", ")}`,
].join("\n");

async function runTask(name: string, json: boolean, io: Parameters<Command["run"]>[1]): Promise<ExitCode> {
  if (!TASKS.some((task) => task.name === name)) throw new UsageError(`unknown task ${name}`);
  const ctx = cliContext(io);
  const { config, layout } = ctx;
  const log = createLogger(config.MM_LOG_LEVEL, (line) => io.err(line));
  return withServices(
    ctx,
    async ({ jobs, stats, settings, accounts, payments, signIn }) => {
      // The pool is never started here: the task only uses the job service's maintenance calls.
      const notify = createNotifier({ config, log });
      const mailer = mailerFor(config, log);
      const scheduler = createScheduler({
        config,
        log,
        layout,
        jobs,
        stats,
        settings,
        notify,
        signIn,
        subscriptions: subscriptionDeps({
          accounts,
          api: botApi(config, log),
          log,
          publicUrl: config.MM_PUBLIC_URL,
          mailer,
        }),
        payments,
        botUpdates: accounts.botUpdates,
      });
      try {
        const counts = await scheduler.runOnce(name);
        printRecord(io, json, { task: name, ...counts });
        return 0;
      } catch (err) {
        io.err(`cron run ${name}: ${failureText("en", err)}`);
        return 1;
      } finally {
        await notify.stop();
        mailer.close();
      }
    },
    log,
  );
}

const cron: Command = {
  summary:
    "list the scheduled tasks, or run one now (cron run backup|cleanup|sweep|alerts|stats|subscriptions|reconcile)",
  usage: USAGE,
  async run(args, io) {
    const { flags, positionals } = parseArgs(args, { json: { type: "boolean" } });
    const [sub, name, ...rest] = positionals;
    const json = flags.json === true;
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    if (sub === "list" && name === undefined) {
      const { config } = cliContext(io);
      const rows = TASKS.map((task) => {
        const schedule = task.schedule(config);
        return { name: task.name, schedule, next_run_utc: nextRunOf(schedule)?.toISOString() ?? "off" };
      });
      io.out(json ? JSON.stringify(rows, null, 2) : formatTable(rows, ["name", "schedule", "next_run_utc"]));
      return 0;
    }
    if (sub === "run" && name) return runTask(name, json, io);
    throw new UsageError(
      sub ? `unknown subcommand ${sub}${sub === "run" ? " (missing task name)" : ""}` : "missing subcommand",
    );
  },
};

export const cronCommands: Record<string, Command> = { cron };
