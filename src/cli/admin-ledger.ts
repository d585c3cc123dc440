// `magic-master admin balance|credit|debit|ledger`: the token ledger for operators. An adjustment is one
// ledger row (actor "cli", the --reason as its note) plus one audit entry; a debit never goes below zero.

import type { UserRow } from "../accounts";
import { AppError } from "../errors";
import { ACTOR, humanTimes, positiveInt, show, type VerbSpec } from "./admin-shared";
import type { Parsed } from "./args";
import type { CliServices } from "./context";
import { formatTable } from "./cron";
import { UsageError } from "./types";

export const ledgerUsage = `  balance <user>                            a user's token balance (the sum of their ledger rows)
  credit <user> <n> --reason TEXT           add n tokens
  debit <user> <n> --reason TEXT            take n tokens (refused below zero)
  ledger <user> [--limit N]                 a user's ledger rows, newest first`;

const userOf = (s: CliServices, ref: string): UserRow => {
  const u = s.accounts.find(ref);
  if (!u) throw new AppError("user_not_found", 404, { ref });
  return u;
};

/** `<user> <n> --reason R`, all required; n a positive whole number. */
function adjustmentArgs(p: Parsed, verb: string): { ref: string; n: number; reason: string } {
  const [ref, amount, extra] = p.positionals;
  const usage = `usage: admin ${verb} <user> <n> --reason TEXT`;
  if (!ref || !amount || extra !== undefined) throw new UsageError(usage);
  const n = Number(amount);
  if (!/^\d+$/.test(amount) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`<n> must be a positive whole number; ${usage}`);
  const reason = typeof p.flags.reason === "string" ? p.flags.reason.trim() : "";
  if (!reason) throw new UsageError(`--reason is required; ${usage}`);
  return { ref, n, reason };
}

const adjust = (verb: "credit" | "debit"): VerbSpec => ({
  flags: { reason: { type: "string" } },
  run(p, io, s) {
    const { ref, n, reason } = adjustmentArgs(p, verb);
    const u = userOf(s, ref);
    const { row, balance } = s.ledger[verb](u.id, n, { note: reason, actor: ACTOR });
    s.audit.record({
      actor: ACTOR,
      action: `ledger_${verb}`,
      target: `user:${u.id}`,
      details: { amount: n, reason, ledger_id: row.id, balance },
    });
    show(io, p, { user_id: u.id, delta: row.delta, balance, reason, ledger_id: row.id });
    return 0;
  },
});

export const ledgerVerbs: Record<string, VerbSpec> = {
  balance: {
    flags: {},
    run(p, io, s) {
      const [ref, extra] = p.positionals;
      if (!ref || extra !== undefined) throw new UsageError("usage: admin balance <user>");
      const u = userOf(s, ref);
      show(io, p, {
        user_id: u.id,
        telegram_id: u.telegramId,
        tier: u.tier,
        balance: s.ledger.balance(u.id),
      });
      return 0;
    },
  },
  credit: adjust("credit"),
  debit: adjust("debit"),
  ledger: {
    flags: { limit: { type: "string" } },
    run(p, io, s) {
      const [ref, extra] = p.positionals;
      if (!ref || extra !== undefined) throw new UsageError("usage: admin ledger <user> [--limit N]");
      const u = userOf(s, ref);
      const rows = s.ledger.rows(u.id, positiveInt(p.flags.limit, "limit", 50, 10_000));
      if (p.flags.json) io.out(JSON.stringify(rows, null, 2));
      else if (!rows.length) io.out("(no ledger rows)");
      else
        io.out(
          formatTable(rows.map(humanTimes), ["id", "createdAt", "delta", "reason", "ref", "actor", "note"]),
        );
      return 0;
    },
  },
};
