// Admin: the users list — search (e-mail, @username, Telegram id, #id or a job id), filters (tier, banned,
// has tokens, deleted), pages of 50, CSV export of the same filters. The filters live in the URL, so a
// reload or a shared link shows the same list.
import { $, api, el, fmtTime, onLangChange, pager, query, setQuery, showError, startAdminPage, t, table } from "/admin/admin.js";

const FIELDS = ["q", "tier", "banned", "has_balance", "deleted"];
const LIMIT = 50;
let last = null;

const badges = (u) => [
  u.is_admin ? el("span", { class: "badge good" }, t("webadmin_badge_admin")) : null,
  u.banned ? el("span", { class: "badge bad", title: u.ban_reason || "" }, t("webadmin_badge_banned")) : null,
  u.deleted_at ? el("span", { class: "badge" }, t("webadmin_badge_deleted")) : null,
];

const COLUMNS = [
  { key: "id", label: "webadmin_col_id", render: (u) => el("a", { href: `/admin/user?id=${u.id}` }, `#${u.id}`) },
  { key: "email", label: "webadmin_col_email" },
  {
    key: "telegram_id",
    label: "webadmin_col_telegram",
    render: (u) => [u.telegram_id, u.username ? `@${u.username}` : null].filter(Boolean).join(" "),
  },
  { key: "tier", label: "webadmin_col_tier" },
  { key: "tier_expires_at", label: "webadmin_col_expires", render: (u) => (u.tier_expires_at ? fmtTime(u.tier_expires_at) : "") },
  { key: "balance", label: "webadmin_col_balance", num: true, render: (u) => String(u.balance) },
  { key: "status", label: "webadmin_col_status", render: (u) => badges(u) },
  { key: "created_at", label: "webadmin_col_created", render: (u) => fmtTime(u.created_at) },
  { key: "last_seen_at", label: "webadmin_col_seen", render: (u) => fmtTime(u.last_seen_at) },
];

function filters() {
  const out = {};
  for (const f of FIELDS) if ($(f).value.trim()) out[f] = $(f).value.trim();
  return out;
}

function render() {
  if (!last) return;
  $("users").replaceChildren(table(COLUMNS, last.users, { id: "users-table" }));
  $("pages").replaceChildren(pager(last, (offset) => load(offset)));
}

async function load(offset = 0) {
  const f = filters();
  setQuery({ ...f, offset: offset || "" });
  const qs = new URLSearchParams({ ...f, limit: String(LIMIT), offset: String(offset) });
  $("export").href = `/api/admin/users/export.csv?${new URLSearchParams(f)}`;
  showError($("filters"), "");
  try {
    last = await api(`/api/admin/users?${qs}`);
    render();
  } catch (err) {
    showError($("filters"), err);
  }
}

startAdminPage(async () => {
  const q = query();
  for (const f of FIELDS) if (q[f] !== undefined) $(f).value = q[f];
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    load(0);
  });
  onLangChange(render);
  await load(Number(q.offset) || 0);
});
