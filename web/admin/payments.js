// Admin: payments — orders filtered by status, provider, user or an order / provider payment id, pages of
// 50; an order's stored record below the list when one id is searched. Refunds: `magic-master admin refund`.
import { $, api, el, fmtMoney, fmtTime, onLangChange, pager, query, setQuery, showError, startAdminPage, table } from "/admin/admin.js";

const FIELDS = ["id", "status", "provider", "user"];
const LIMIT = 50;
let last = null;

const COLUMNS = [
  { key: "id", label: "webadmin_col_order", render: (o) => el("a", { href: `/admin/payments?id=${o.id}` }, o.id.slice(0, 8)) },
  { key: "user", label: "webadmin_col_user", render: (o) => el("a", { href: `/admin/user?id=${o.user}` }, `#${o.user}`) },
  { key: "plan", label: "webadmin_col_plan" },
  { key: "provider", label: "webadmin_col_provider" },
  { key: "status", label: "webadmin_col_status" },
  { key: "amount_minor", label: "webadmin_col_amount", num: true, render: (o) => fmtMoney(o.amount_minor, o.currency) },
  { key: "created_at", label: "webadmin_col_created", render: (o) => fmtTime(o.created_at) },
];

function render() {
  if (!last) return;
  $("orders").replaceChildren(table(COLUMNS, last.orders, { id: "orders-table" }));
  $("pages").replaceChildren(pager(last, (offset) => load(offset)));
}

async function load(offset = 0) {
  const f = {};
  for (const k of FIELDS) if ($(k).value.trim()) f[k] = $(k).value.trim();
  setQuery({ ...f, offset: offset || "" });
  showError($("filters"), "");
  try {
    last = await api(`/api/admin/payments?${new URLSearchParams({ ...f, limit: String(LIMIT), offset: String(offset) })}`);
    render();
    const one = f.id && last.orders.length === 1 ? last.orders[0] : null;
    $("order").hidden = !one;
    if (one) $("order-raw").textContent = JSON.stringify(await api(`/api/admin/payments/${one.id}`), null, 2);
  } catch (err) {
    showError($("filters"), err);
  }
}

startAdminPage(async () => {
  const q = query();
  for (const k of FIELDS) if (q[k] !== undefined) $(k).value = q[k];
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(0);
  });
  onLangChange(render);
  await load(Number(q.offset) || 0);
});
