// `magic-master admin plans [set|add <plan> <field>=<value>…]`: the price list for operators. A change or
// an addition is one audited edit (actor "cli"), the same service calls as the admin panel's editor;
// orders already created keep the figures they copied.

import { Api } from "grammy";
import {
  moneyString,
  PLAN_FIELDS,
  type PlanRow,
  parseMoney,
  type RefundOrderDeps,
  refundOrder,
} from "../billing";
import { installOutgoingPolicy } from "../notify";
import { ACTOR, one, show, type VerbSpec } from "./admin-shared";
import { formatTable } from "./cron";
import { UsageError } from "./types";

export const plansUsage = `  refund <order> [--amount A] [--reason R]  refund a paid order through its provider (YooKassa: all or --amount of it; Platega: its cancel; Stars: refundStarPayment), + ledger reversal once
  plans [--all]                             plans and prices (--all: inactive too)
  plans set <plan> <field>=<value>…         change a plan in one step (${PLAN_FIELDS.join(", ")})
  plans add <plan> kind=tokens|tier [tier=<tier>] price=<amount> label_ru=<text> label_en=<text> [<field>=<value>…] [sort=<n>]
                                            add a plan (a tier plan needs period_days)`;

const row = (p: PlanRow) => ({
  key: p.key,
  kind: p.kind,
  tier: p.tier ?? "",
  price: `${moneyString(p.amountMinor)} ${p.currency}`,
  tokens: p.tokens,
  period_days: p.periodDays,
  stars: p.stars ?? "",
  active: p.active ? "on" : "off",
  label_ru: p.labelRu,
  label_en: p.labelEn,
});

export const planVerbs: Record<string, VerbSpec> = {
  plans: {
    flags: { all: { type: "boolean" } },
    run(p, io, s) {
      const [sub, key, ...rest] = p.positionals;
      if (sub === undefined) {
        const rows = s.plans.list({ all: p.flags.all === true });
        if (p.flags.json) io.out(JSON.stringify(rows, null, 2));
        else io.out(formatTable(rows.map(row), Object.keys(row(rows[0] as PlanRow))));
        return 0;
      }
      const pairs = rest.map((a) => /^([a-z_]+)=(.*)$/s.exec(a));
      if ((sub !== "set" && sub !== "add") || !key || !pairs.length || pairs.some((m) => !m))
        throw new UsageError(`usage: admin plans ${sub === "add" ? "add" : "set"} <plan> <field>=<value>…`);
      const fields = Object.fromEntries(pairs.map((m) => [m?.[1] ?? "", m?.[2] ?? ""]));
      let after: PlanRow;
      if (sub === "set") after = s.plans.update(key, fields, ACTOR);
      else {
        const { kind, tier, sort, ...editable } = fields;
        if (kind !== "tokens" && kind !== "tier")
          throw new UsageError("admin plans add: kind=tokens or kind=tier");
        const order = sort === undefined ? undefined : Number(sort);
        if (order !== undefined && !Number.isSafeInteger(order))
          throw new UsageError("admin plans add: sort=<n>");
        after = s.plans.add({ key, kind, tier: tier ?? null, sort: order, fields: editable }, ACTOR);
      }
      if (p.flags.json) io.out(JSON.stringify(after, null, 2));
      else io.out(formatTable([row(after)], Object.keys(row(after))));
      return 0;
    },
  },
  refund: {
    flags: { amount: { type: "string" }, reason: { type: "string" } },
    async run(p, io, s) {
      const orderId = one(p, "order id");
      const amount = p.flags.amount;
      const amountMinor = typeof amount === "string" ? parseMoney(amount) : undefined;
      if (amount !== undefined && !amountMinor)
        throw new UsageError("--amount must be an amount like 250 or 250.00");
      const reason = typeof p.flags.reason === "string" ? p.flags.reason.trim().slice(0, 500) : undefined;
      const r = await refundOrder(refundDeps(s), orderId, ACTOR, { amountMinor, reason });
      show(io, p, { order_id: orderId, outcome: r.outcome, ...(r.after ? { ...r.after } : {}) });
      return 0 as const;
    },
  },
};

/** A Stars refund needs the bot's API (refundStarPayment) and the buyer's Telegram id. */
function refundDeps(s: Parameters<VerbSpec["run"]>[2]): RefundOrderDeps {
  const { MM_BOT_TOKEN: token, MM_TELEGRAM_API_ROOT: apiRoot } = s.config;
  const api = token ? new Api(token, { apiRoot }) : undefined;
  if (api) installOutgoingPolicy(api, { log: s.log });
  return {
    payments: s.payments,
    stars: s.stars,
    telegramIdOf: (id) => s.accounts.find(`#${id}`)?.telegramId,
    refundStar: api ? (tg, charge) => api.refundStarPayment(tg, charge) : undefined,
    audit: s.audit,
  };
}
