// Admin: the audit log — every admin, CLI, bot and scheduler action, newest first; text search anywhere in
// the row (actor, action, target, IP, details, before/after) plus actor / action ("prefix*") / target
// filters kept in the URL; "more" pages on by the last id seen.
import {
  $,
  el,
  fmtTime,
  keysetList,
  keysetPages,
  onLangChange,
  startAdminPage,
  table,
} from "/admin/admin.js";

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
    fetchPage: keysetPages("/api/admin/audit", "entries", LIMIT),
  });
  onLangChange(render);
  await list.load();
});
