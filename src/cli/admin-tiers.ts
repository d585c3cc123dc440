// `magic-master admin tiers [set <tier> <field>=<value>…]`: tiers as data for operators. A change is
// one audited entry (actor "cli") and applies to the next submission, no restart.

import { TIER_FIELDS, type Tier } from "../accounts";
import { ACTOR, type VerbSpec } from "./admin-shared";
import { formatTable } from "./cron";
import { UsageError } from "./types";

export const tiersUsage = `  tiers                                     every tier's limits and prices
  tiers set <tier> <field>=<value>…         change a tier (fields: ${TIER_FIELDS.join(", ")};
                                            "unlimited" for a count, "all"/"none"/a,b for a list)`;

/** One table row per tier: lists and token prices flattened for a terminal. */
const line = (t: Tier): Record<string, unknown> => ({
  tier: t.name,
  masters: t.masters_per_period === null ? "-" : `${t.masters_per_period}/${t.period}`,
  daily_cap: t.daily_cap,
  tokens: `${t.tokens.master}/${t.tokens.preview}/${t.tokens.measure}/${t.tokens.batch_item}`,
  upload_mb: t.upload_max_mb,
  batch: t.batch_max,
  priority: t.queue_priority,
  api_keys: t.api_keys ? "yes" : "no",
  styles: t.styles?.join(",") ?? "all",
  formats: t.formats?.join(",") ?? "all",
  modules: t.modules?.join(",") ?? "all",
});

export const tierVerbs: Record<string, VerbSpec> = {
  tiers: {
    flags: {},
    run(p, io, s) {
      const [sub, name, ...assignments] = p.positionals;
      if (sub === undefined) {
        const all = s.tiers.list();
        if (p.flags.json) io.out(JSON.stringify(all, null, 2));
        else {
          const rows = all.map(line);
          io.out(formatTable(rows, Object.keys(rows[0] ?? {})));
          io.out("tokens = master/preview/measure/batch item");
        }
        return 0;
      }
      if (sub !== "set" || !name || !assignments.length)
        throw new UsageError("usage: admin tiers set <tier> <field>=<value> [<field>=<value>…]");
      const after = s.tiers.set(name, assignments, ACTOR);
      if (p.flags.json) io.out(JSON.stringify(after, null, 2));
      else io.out(formatTable([line(after)], Object.keys(line(after))));
      return 0;
    },
  },
};
