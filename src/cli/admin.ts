// `magic-master admin …`: the runbook as commands (user report, ban/unban, jobs, job, cancel, stats,
// flags, maintenance). Works while the service runs (WAL). Every change is audited with actor "cli".

import { AppError } from "../errors";
import { failureText } from "../i18n";
import { JOB_STATUSES, type JobStatus, normalisePublicId } from "../jobs";
import { paymentFigures } from "../ops";
import { ledgerUsage, ledgerVerbs } from "./admin-ledger";
import { plansUsage, planVerbs } from "./admin-plans";
import { reportsUsage, reportVerbs } from "./admin-reports";
import { ACTOR, humanTimes, one, positiveInt, show, type VerbSpec } from "./admin-shared";
import { subsUsage, subsVerbs } from "./admin-subs";
import { tiersUsage, tierVerbs } from "./admin-tiers";
import { parseArgs } from "./args";
import { cliContext, withServices } from "./context";
import { formatTable } from "./cron";
import { type Command, UsageError } from "./types";

const USAGE = `usage: magic-master admin <verb> [options] [--json]
  user <id|@username|telegram id>           report: tier, jobs, last activity, ban state
  ban <user> [--reason TEXT]                ban: ends sessions, cancels + refunds queued jobs
  unban <user>                              lift a ban
  jobs [--status S] [--limit N]             newest jobs (S: ${JOB_STATUSES.join("|")})
  job <id>                                  one job's full record, error included
  cancel <id>                               cancel a queued or running job
  stats [--days N]                          daily statistics (today is live)
  flags                                     feature flags
  flags set <name> on|off                   set a feature flag
  maintenance [on|off] [--message TEXT]     show, or pause/resume new jobs
${ledgerUsage}
${tiersUsage}
${subsUsage}
${plansUsage}
${reportsUsage}`;

const VERBS: Record<string, VerbSpec> = {
  ...ledgerVerbs,
  ...tierVerbs,
  ...subsVerbs,
  ...planVerbs,
  ...reportVerbs,
  user: {
    flags: {},
    run(p, io, s) {
      const report = s.accounts.report(one(p, "user"));
      if (!report) throw new AppError("user_not_found", 404, { ref: p.positionals[0] ?? "" });
      show(io, p, report);
      return 0;
    },
  },
  ban: {
    flags: { reason: { type: "string" } },
    run(p, io, s) {
      const reason = typeof p.flags.reason === "string" ? p.flags.reason : "banned by operator";
      const u = s.accounts.ban(one(p, "user"), reason, ACTOR);
      show(io, p, {
        id: u.id,
        telegram_id: u.telegramId,
        banned_at: u.bannedAt,
        ban_reason: u.banReason,
        sessions_ended: u.sessionsEnded,
        jobs_cancelled: u.jobsCancelled,
      });
      return 0;
    },
  },
  unban: {
    flags: {},
    run(p, io, s) {
      const u = s.accounts.unban(one(p, "user"), ACTOR);
      show(io, p, { id: u.id, telegram_id: u.telegramId, banned: u.bannedAt !== null });
      return 0;
    },
  },
  jobs: {
    flags: { status: { type: "string" }, limit: { type: "string" } },
    run(p, io, s) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
      const status = p.flags.status;
      if (status !== undefined && !JOB_STATUSES.includes(status as JobStatus))
        throw new UsageError(`--status must be one of ${JOB_STATUSES.join(", ")}`);
      const rows = s.jobs.reports.listRecords({
        status: status as JobStatus | undefined,
        limit: positiveInt(p.flags.limit, "limit", 20, 1000),
      });
      const cols = [
        "publicId",
        "status",
        "kind",
        "source",
        "ownerKey",
        "originalName",
        "createdAt",
        "finishedAt",
        "errorCode",
      ];
      if (p.flags.json) io.out(JSON.stringify(rows, null, 2));
      else io.out(formatTable(rows.map(humanTimes), cols));
      return 0;
    },
  },
  job: {
    flags: {},
    run(p, io, s) {
      const id = one(p, "job id");
      const normal = normalisePublicId(id);
      const row = normal ? s.jobs.reports.findRecord(normal) : undefined;
      if (!row) throw new AppError("job_not_found", 404, { id });
      show(io, p, row);
      return 0;
    },
  },
  cancel: {
    flags: {},
    run(p, io, s) {
      const v = s.jobs.cancel(one(p, "job id"), ACTOR);
      s.audit.record({ actor: ACTOR, action: "job_cancel", target: `job:${v.id}` });
      show(io, p, { id: v.id, status: v.status });
      return 0;
    },
  },
  stats: {
    flags: { days: { type: "string" } },
    run(p, io, s) {
      const days = positiveInt(p.flags.days, "days", 7, 3650);
      const rows = s.stats.recent(days, Date.now()).map(({ live: _live, ...r }) => r);
      const c = s.jobs.counts();
      const pay = paymentFigures(s.payments.stats());
      if (p.flags.json)
        io.out(JSON.stringify({ queued: c.queued, running: c.running, days: rows, payments: pay }, null, 2));
      else {
        io.out(`queued ${c.queued}  running ${c.running}  (today is live; earlier days are stored rows)`);
        const states = Object.entries(pay.orders_by_status).map(([k, v]) => `${k} ${v}`);
        const money = (m: Record<string, number>) =>
          Object.entries(m)
            .map(([cur, v]) => `${v.toFixed(2)} ${cur}`)
            .join(", ") || "0";
        io.out(
          `orders  ${states.join("  ")}  revenue ${money(pay.revenue)}  (paid ${money(pay.paid)}, refunded ${money(pay.refunds)})`,
        );
        const minor = (m: Record<string, number>) =>
          money(Object.fromEntries(Object.entries(m).map(([c, v]) => [c, v / 100])));
        const table = rows.map((r) => ({
          ...r,
          revenue: minor(r.revenueMinor),
          refunds: minor(r.refundsMinor),
        }));
        io.out(
          formatTable(table, [
            "date",
            "jobsDone",
            "jobsFailed",
            "jobsCancelled",
            "usersNew",
            "usersActive",
            "audioMinutes",
            "meanRealtimeFactor",
            "ordersPaid",
            "revenue",
            "refunds",
          ]),
        );
      }
      return 0;
    },
  },
  flags: {
    flags: {},
    run(p, io, s) {
      const { settings } = s;
      const [sub, name, value, extra] = p.positionals;
      if (sub === undefined) {
        const rows = Object.entries(settings.flags()).map(([flag, on]) => ({
          flag,
          value: on ? "on" : "off",
        }));
        io.out(
          p.flags.json
            ? JSON.stringify(settings.flags(), null, 2)
            : rows.length
              ? formatTable(rows, ["flag", "value"])
              : "(no flags set)",
        );
        return 0;
      }
      if (sub !== "set" || !name || (value !== "on" && value !== "off") || extra !== undefined)
        throw new UsageError("usage: admin flags set <name> on|off");
      settings.setFlag(name, value === "on", ACTOR);
      show(io, p, { flag: name, value });
      return 0;
    },
  },
  maintenance: {
    flags: { message: { type: "string" } },
    run(p, io, s) {
      const { settings } = s;
      const [sub, extra] = p.positionals;
      if (extra !== undefined || (sub !== undefined && sub !== "on" && sub !== "off"))
        throw new UsageError("usage: admin maintenance [on|off] [--message TEXT]");
      if (sub === undefined && p.flags.message !== undefined) throw new UsageError("--message needs on");
      const message = typeof p.flags.message === "string" ? p.flags.message : undefined;
      const state =
        sub === undefined ? settings.maintenance() : settings.setMaintenance(sub === "on", message, ACTOR);
      show(io, p, state);
      return 0;
    },
  },
};

const admin: Command = {
  summary:
    "runbook: user report, ban/unban, jobs, job, cancel, stats, flags, maintenance, token ledger, tiers, extend-tier",
  usage: USAGE,
  async run(args, io) {
    const [verb, ...rest] = args;
    const spec = verb ? VERBS[verb] : undefined;
    if (!verb || !spec) throw new UsageError(verb ? `unknown verb ${verb}` : "missing verb");
    const parsed = parseArgs(rest, { ...spec.flags, json: { type: "boolean" } });
    return withServices(cliContext(io), async (s) => {
      try {
        return await spec.run(parsed, io, s);
      } catch (err) {
        if (err instanceof UsageError) throw err;
        // Expected failures (unknown user, finished job, bad flag name) are one line and exit 1.
        io.err(`admin ${verb}: ${failureText("en", err)}`);
        return 1;
      }
    });
  },
};

export const adminCommands: Record<string, Command> = { admin };
