// Admin: the audit log — every admin, CLI, bot and scheduler action, newest first; text search anywhere in
// the row (actor, action, target, IP, details, before/after) plus actor / action ("prefix*") / target
// filters kept in the URL; "more" pages on by the last id seen.
import {
  $,
  api,
  el,
  fmtTime,
  onLangChange,
  query,
  setQuery,
  showError,
  startAdminPage,
  table,
} from "/admin/admin.js";

const FIELDS = ["q", "actor", "action", "target"];
const LIMIT = 100;
let rows = [];
let next = null;

const json = (v) => (v === null || v === undefined ? "" : el("code", { class: "json" }, JSON.stringify(v)));

const COLUMNS = [
  { key: "ts", label: "webadmin_col_when", render: (r) => fmtTime(r.ts) },
  { key: "actor", label: "webadmin_col_actor" },
  { key: "action", label: "webadmin_col_action" },
  { key: "target", label: "webadmin_col_target" },
  { key: "ip", label: "webadmin_col_ip" },
  { key: "before", label: "webadmin_col_before", render: (r) => json(r.before) },
  { key: "after", label: "webadmin_col_after", render: (r) => json(r.after) },
  { key: "details", label: "webadmin_col_details", render: (r) => json(r.details) },
];

function render() {
  $("entries").replaceChildren(table(COLUMNS, rows, { id: "audit-table" }));
  $("more").hidden = next === null;
}

function filters() {
  const out = {};
  for (const f of FIELDS) if ($(f).value.trim()) out[f] = $(f).value.trim();
  return out;
}

async function load(before) {
  const f = filters();
  setQuery(f);
  showError($("filters"), "");
  try {
    const qs = new URLSearchParams({
      ...f,
      limit: String(LIMIT),
      ...(before ? { before: String(before) } : {}),
    });
    const page = await api(`/api/admin/audit?${qs}`);
    rows = before ? [...rows, ...page.entries] : page.entries;
    next = page.next;
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
    load();
  });
  $("more").addEventListener("click", () => load(next));
  onLangChange(render);
  await load();
});
