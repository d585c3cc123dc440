// `magic-master admin extend-tier`: an operator grants or extends a paid tier (a manual payment, a gift,
// a support case) through the same accounts function payments use: the same running tier is extended
// from its current end, another one runs from now; audited with actor "cli" and the --reason as note.
// `--ref` makes a scripted grant idempotent (the same ref extends once); without it each call is new.

import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { ACTOR, show, type VerbSpec } from "./admin-shared";
import { UsageError } from "./types";

export const subsUsage = `  extend-tier <user> <tier> <days> --reason TEXT [--ref REF]
                                            grant or extend a paid tier (from its current end if the same)`;

const USAGE = "usage: admin extend-tier <user> <tier> <days> --reason TEXT [--ref REF]";

export const subsVerbs: Record<string, VerbSpec> = {
  "extend-tier": {
    flags: { reason: { type: "string" }, ref: { type: "string" } },
    run(p, io, s) {
      const [ref, tier, daysArg, extra] = p.positionals;
      if (!ref || !tier || !daysArg || extra !== undefined) throw new UsageError(USAGE);
      const days = Number(daysArg);
      if (!/^\d+$/.test(daysArg) || !Number.isSafeInteger(days) || days < 1)
        throw new UsageError(`<days> must be a positive whole number; ${USAGE}`);
      const reason = typeof p.flags.reason === "string" ? p.flags.reason.trim() : "";
      if (!reason) throw new UsageError(`--reason is required; ${USAGE}`);
      const grantRef =
        typeof p.flags.ref === "string" && p.flags.ref ? `cli:${p.flags.ref}` : `cli:${randomUUID()}`;
      const u = s.accounts.find(ref);
      if (!u) throw new AppError("user_not_found", 404, { ref });
      const g = s.accounts.extendTier(u.id, tier, days, grantRef, ACTOR, reason);
      show(io, p, {
        user_id: u.id,
        tier: g.tier,
        previous_tier: g.previousTier,
        previous_expires_at: g.previousExpiresAt,
        expires_at: g.expiresAt,
        applied: g.applied,
        ref: g.ref,
      });
      return 0;
    },
  },
};
