// Admin: the audit log — every admin, CLI, bot and scheduler action, newest first; text search anywhere in
// the row (actor, action, target, IP, details, before/after) plus actor / action ("prefix*") / target
// filters kept in the URL; "more" pages on by the last id seen.
import { $, api, el, fmtTime, keysetList, onLangChange, startAdminPage, table } from "/admin/admin.js";

const FIELDS = ["q", "actor", "action", "target"];
const LIMIT = 100;

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

let list;

function render() {
  $("entries").replaceChildren(table(COLUMNS, list.rows, { id: "audit-table" }));
  $("more").hidden = list.next === null;
}

startAdminPage(async () => {
  list = keysetList({
    fields: FIELDS,
    render,
    fetchPage: async (f, before) => {
      const qs = new URLSearchParams({ ...f, limit: String(LIMIT), ...(before ? { before: String(before) } : {}) });
      const page = await api(`/api/admin/audit?${qs}`);
      return { rows: page.entries, next: page.next };
    },
  });
  onLangChange(render);
  await list.load();
});
