// `magic-master admin top-spenders|payments-stats`: seed 001's analytics as commands. Read-only, but each
// run is audited (actor "cli"): who looked at whose spending is worth a line. Money is shown in major
// units (2 decimals; Telegram Stars have none) in tables and given in minor units in --json.

import type { UserRow } from "../accounts";
import type { PaymentStats } from "../billing";
import { ACTOR, positiveInt, type VerbSpec } from "./admin-shared";
import type { CliServices } from "./context";
import { formatTable } from "./cron";
import { type CliIo, UsageError } from "./types";

export const reportsUsage = `  top-spenders [--days N] [--limit N]       users who spent the most tokens on jobs (charges − refunds; default 30 days, 10)
  payments-stats [--days N]                 paid orders (count, total, average check), orders by status and plan, token sources`;

const DAY_MS = 86_400_000;

/** "email", "@username", the Telegram id or "#id": how an operator recognises the user. */
const labelOf = (u: UserRow | undefined, id: number) =>
  u?.email ??
  (u?.telegramUsername ? `@${u.telegramUsername}` : u?.telegramId ? `tg:${u.telegramId}` : `#${id}`);

const major = (minor: number, currency: string) =>
  currency === "XTR" ? String(minor) : (minor / 100).toFixed(2);

function noPositionals(args: string[], verb: string) {
  if (args.length) throw new UsageError(`usage: admin ${verb}: unexpected argument ${args[0]}`);
}

function printStats(io: CliIo, st: PaymentStats, days: number | null) {
  io.out(`payments ${days === null ? "all time" : `last ${days} days`} (orders; amounts in major units)`);
  const paid = st.paid.map((r) => ({
    currency: r.currency,
    paid: r.count,
    total: major(r.amountMinor, r.currency),
    average: major(r.averageMinor, r.currency),
    refunded: r.refundedCount,
    refunded_total: major(r.refundedMinor, r.currency),
  }));
  io.out(paid.length ? formatTable(paid, Object.keys(paid[0] ?? {})) : "(no paid orders)");
  io.out("");
  io.out("orders by status");
  const byStatus = st.byStatus.map((r) => ({ ...r, amount: major(r.amountMinor, r.currency) }));
  io.out(
    byStatus.length
      ? formatTable(byStatus, ["provider", "status", "currency", "count", "amount"])
      : "(no orders)",
  );
  io.out("");
  io.out("paid by plan");
  const byPlan = st.byPlan.map((r) => ({ ...r, amount: major(r.amountMinor, r.currency) }));
  io.out(byPlan.length ? formatTable(byPlan, ["plan", "currency", "count", "amount"]) : "(none)");
  io.out("");
  io.out("tokens credited by reason (ledger rows; job refunds excluded)");
  io.out(st.credits.length ? formatTable(st.credits, ["reason", "rows", "tokens", "users"]) : "(none)");
}

export const reportVerbs: Record<string, VerbSpec> = {
  "top-spenders": {
    flags: { days: { type: "string" }, limit: { type: "string" } },
    run(p, io, s: CliServices) {
      noPositionals(p.positionals, "top-spenders [--days N] [--limit N]");
      const days = positiveInt(p.flags.days, "days", 30, 3650);
      const limit = positiveInt(p.flags.limit, "limit", 10, 1000);
      const rows = s.billingStats.topSpenders(Date.now() - days * DAY_MS, limit).map((r, i) => {
        const u = s.accounts.find(`#${r.userId}`);
        return {
          rank: i + 1,
          user_id: r.userId,
          user: labelOf(u, r.userId),
          tier: u?.tier ?? null,
          spent: r.spent,
          charged: r.charged,
          refunded: r.refunded,
          jobs: r.jobs,
          balance: s.ledger.balance(r.userId),
        };
      });
      s.audit.record({
        actor: ACTOR,
        action: "report_top_spenders",
        details: { days, limit, rows: rows.length },
      });
      if (p.flags.json) io.out(JSON.stringify({ days, users: rows }, null, 2));
      else {
        io.out(`top spenders, last ${days} days (tokens: charged − refunded)`);
        io.out(
          rows.length
            ? formatTable(rows, [
                "rank",
                "user_id",
                "user",
                "tier",
                "spent",
                "charged",
                "refunded",
                "jobs",
                "balance",
              ])
            : "(no charged jobs)",
        );
      }
      return 0;
    },
  },
  "payments-stats": {
    flags: { days: { type: "string" } },
    run(p, io, s: CliServices) {
      noPositionals(p.positionals, "payments-stats [--days N]");
      const days = p.flags.days === undefined ? null : positiveInt(p.flags.days, "days", 30, 3650);
      const st = s.billingStats.paymentStats(days === null ? null : Date.now() - days * DAY_MS);
      s.audit.record({ actor: ACTOR, action: "report_payments_stats", details: { days } });
      if (p.flags.json) io.out(JSON.stringify({ days, ...st }, null, 2));
      else printStats(io, st, days);
      return 0;
    },
  },
};
