// Admin: payments — orders filtered by status, provider, user or an order / provider payment id, pages of
// 50. When one order is searched (or its id clicked) its page opens below the list: its money (status,
// refunded so far, the buyer's balance), what the provider says about it now (re-fetched), our refund and
// ledger rows, its audit rows, a refund form (amount for a part — YooKassa only —, reason) and a
// reconcile button; results and refusals are shown next to the control that caused them.
import {
  $,
  api,
  el,
  fmtMoney,
  fmtTime,
  onLangChange,
  pager,
  query,
  say,
  setQuery,
  showError,
  startAdminPage,
  t,
  table,
} from "/admin/admin.js";

const FIELDS = ["id", "status", "provider", "user"];
const LIMIT = 50;
let last = null;
/** The open order's record (GET /api/admin/payments/:id/provider) and its audit rows. */
let open = null;

const COLUMNS = [
  {
    key: "id",
    label: "webadmin_col_order",
    render: (o) => el("a", { href: `/admin/payments?id=${o.id}` }, o.id.slice(0, 8)),
  },
  {
    key: "user",
    label: "webadmin_col_user",
    render: (o) => el("a", { href: `/admin/user?id=${o.user}` }, `#${o.user}`),
  },
  { key: "plan", label: "webadmin_col_plan" },
  { key: "provider", label: "webadmin_col_provider" },
  { key: "status", label: "webadmin_col_status" },
  {
    key: "amount_minor",
    label: "webadmin_col_amount",
    num: true,
    render: (o) => fmtMoney(o.amount_minor, o.currency),
  },
  { key: "created_at", label: "webadmin_col_created", render: (o) => fmtTime(o.created_at) },
];

const json = (v) => (v === null || v === undefined ? "" : el("code", { class: "json" }, JSON.stringify(v)));

const REFUND_COLUMNS = [
  { key: "created_at", label: "webadmin_col_when", render: (r) => fmtTime(r.created_at) },
  {
    key: "amount_minor",
    label: "webadmin_col_amount",
    num: true,
    render: (r) => fmtMoney(r.amount_minor, r.currency),
  },
  {
    key: "tokens_taken",
    label: "webadmin_pay_tokens_taken",
    num: true,
    render: (r) => `${r.tokens_taken} / ${r.tokens_due}`,
  },
  { key: "actor", label: "webadmin_col_actor" },
  { key: "ref", label: "webadmin_pay_ref" },
];
const LEDGER_COLUMNS = [
  { key: "created_at", label: "webadmin_col_when", render: (r) => fmtTime(r.created_at) },
  { key: "delta", label: "webadmin_col_delta", num: true },
  { key: "reason", label: "webadmin_col_reason" },
  { key: "actor", label: "webadmin_col_actor" },
  { key: "note", label: "webadmin_pay_note" },
];
const AUDIT_COLUMNS = [
  { key: "ts", label: "webadmin_col_when", render: (r) => fmtTime(r.ts) },
  { key: "actor", label: "webadmin_col_actor" },
  { key: "action", label: "webadmin_col_action" },
  { key: "ip", label: "webadmin_col_ip" },
  { key: "before", label: "webadmin_col_before", render: (r) => json(r.before) },
  { key: "after", label: "webadmin_col_after", render: (r) => json(r.after) },
  { key: "details", label: "webadmin_col_details", render: (r) => json(r.details) },
];

function renderList() {
  if (!last) return;
  $("orders").replaceChildren(table(COLUMNS, last.orders, { id: "orders-table" }));
  $("pages").replaceChildren(pager(last, (offset) => load(offset)));
}

function fact(key, value, id) {
  return [el("dt", {}, t(key)), el("dd", { id }, value)];
}

function renderOrder() {
  if (!open) return;
  const { rec, audit } = open;
  const o = rec.order;
  const m = rec.money;
  $("order-id").textContent = o.id;
  $("order-money").replaceChildren(
    ...fact("webadmin_col_status", o.status, "order-status"),
    ...fact(
      "webadmin_col_provider",
      `${o.provider}${o.provider_payment_id ? ` · ${o.provider_payment_id}` : ""}`,
    ),
    ...fact("webadmin_col_amount", fmtMoney(o.amount_minor, o.currency)),
    ...fact(
      "webadmin_pay_refunded",
      `${fmtMoney(m.refunded_minor, o.currency)} (${m.refunds})`,
      "order-refunded",
    ),
    ...fact("webadmin_col_user", el("a", { href: `/admin/user?id=${o.user}` }, `#${o.user}`)),
    ...fact("webadmin_pay_buyer_balance", String(m.balance), "order-balance"),
  );
  const refundable = o.status === "succeeded" && o.provider_payment_id;
  $("refund").hidden = !refundable;
  // Only YooKassa refunds a part; Platega and Stars refund the whole payment.
  $("refund-amount").closest("label").hidden = o.provider !== "yookassa";
  $("reconcile").hidden = o.provider !== "yookassa" && o.provider !== "platega";
  const remote = rec.remote;
  showError({ id: "provider" }, remote.ok ? "" : remote.error.message);
  $("provider-raw").textContent = remote.ok
    ? JSON.stringify({ object: remote.object, refunds: remote.refunds }, null, 2)
    : "";
  $("order-refunds").replaceChildren(table(REFUND_COLUMNS, rec.refunds, { id: "order-refunds-table" }));
  $("order-ledger").replaceChildren(table(LEDGER_COLUMNS, rec.ledger, { id: "order-ledger-table" }));
  $("order-audit").replaceChildren(table(AUDIT_COLUMNS, audit, { id: "order-audit-table" }));
  $("order-raw").textContent = JSON.stringify(o, null, 2);
}

async function loadOrder(id) {
  const [rec, audit] = await Promise.all([
    api(`/api/admin/payments/${id}/provider`),
    api(`/api/admin/audit?${new URLSearchParams({ target: `order:${id}`, limit: "50" })}`),
  ]);
  open = { rec, audit: audit.entries };
  $("order").hidden = false;
  renderOrder();
}

async function load(offset = 0) {
  const f = {};
  for (const k of FIELDS) if ($(k).value.trim()) f[k] = $(k).value.trim();
  setQuery({ ...f, offset: offset || "" });
  showError($("filters"), "");
  try {
    last = await api(
      `/api/admin/payments?${new URLSearchParams({ ...f, limit: String(LIMIT), offset: String(offset) })}`,
    );
    renderList();
    const one = f.id && last.orders.length === 1 ? last.orders[0] : null;
    if (one) await loadOrder(one.id);
    else {
      open = null;
      $("order").hidden = true;
    }
  } catch (err) {
    showError($("filters"), err);
  }
}

/** Runs an order action with its control disabled; the outcome goes to the status line, a refusal next to the control. */
async function action(control, errorOf, run) {
  control.disabled = true;
  showError(errorOf, "");
  say("");
  try {
    const r = await run();
    say(t(`webadmin_pay_outcome_${r.outcome}`, { balance: r.after.balance }) || r.outcome);
    await load(Number(query().offset) || 0);
  } catch (err) {
    showError(errorOf, err);
  } finally {
    control.disabled = false;
  }
}

startAdminPage(async () => {
  const q = query();
  for (const k of FIELDS) if (q[k] !== undefined) $(k).value = q[k];
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(0);
  });
  $("refund").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = $("refund");
    const amount = $("refund-amount").value.trim();
    const reason = $("refund-reason").value.trim();
    if (!reason) return showError(form, t("webadmin_pay_reason_needed"));
    if (amount && !$("refund-amount").checkValidity()) return showError(form, t("webadmin_pay_amount_bad"));
    const body = { reason, refund_no: open.rec.money.refunds + 1, ...(amount ? { amount } : {}) };
    const id = open.rec.order.id;
    return action($("refund-submit"), form, async () => {
      const r = await api(`/api/admin/payments/${id}/refund`, { json: body });
      $("refund-amount").value = "";
      $("refund-reason").value = "";
      return r;
    });
  });
  $("reconcile").addEventListener("click", () => {
    const id = open.rec.order.id;
    action($("reconcile"), $("reconcile"), () => api(`/api/admin/payments/${id}/reconcile`, { json: {} }));
  });
  onLangChange(() => {
    renderList();
    renderOrder();
  });
  await load(Number(q.offset) || 0);
});
