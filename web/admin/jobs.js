// Admin: the jobs list — filters (status, source, user, text: id or file name) kept in the URL, pages by
// the last id seen, and live: /api/admin/jobs/events pushes every job change with the queue's counts; a
// changed job already on the list is redrawn in place, a new one matching the filters goes on top.
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

const FIELDS = ["q", "status", "source", "user"];
const LIMIT = 50;

const JOB_COLUMNS = [
  { key: "id", label: "webadmin_col_id", render: (j) => el("a", { href: `/admin/job?id=${j.id}` }, j.id) },
  {
    key: "status",
    label: "webadmin_col_status",
    render: (j) =>
      el(
        "span",
        { class: `badge ${j.status === "failed" ? "bad" : j.status === "done" ? "good" : ""}` },
        j.status,
      ),
  },
  {
    key: "progress",
    label: "webadmin_col_progress",
    num: true,
    render: (j) => (j.status === "running" ? `${Math.round(j.progress * 100)} %` : ""),
  },
  { key: "source", label: "webadmin_col_source" },
  {
    key: "user",
    label: "webadmin_col_user",
    render: (j) => (j.user ? el("a", { href: `/admin/user?id=${j.user}` }, `#${j.user}`) : j.owner),
  },
  { key: "original_name", label: "webadmin_col_file" },
  { key: "cost", label: "webadmin_col_cost", num: true, render: (j) => String(j.cost) },
  { key: "error_code", label: "webadmin_col_error" },
  { key: "created_at", label: "webadmin_col_created", render: (j) => fmtTime(j.created_at) },
];

/** Whether a pushed job belongs on the list as filtered now (text search is left to the server). */
function matches(j, f) {
  if (f.status && j.status !== f.status) return false;
  if (f.source && j.source !== f.source) return false;
  if (f.user && String(j.user) !== f.user) return false;
  return (
    !f.q || j.id.includes(f.q.toUpperCase()) || j.original_name.toLowerCase().includes(f.q.toLowerCase())
  );
}

let list;

function render() {
  $("jobs").replaceChildren(table(JOB_COLUMNS, list.rows, { id: "jobs-table" }));
  $("more").hidden = list.next === null;
}

function follow() {
  const source = new EventSource("/api/admin/jobs/events");
  const onEvent = (ev) => {
    const e = JSON.parse(ev.data);
    $("queue").textContent = `${e.queued} / ${e.running}`;
    if (!e.job) return;
    const at = list.rows.findIndex((r) => r.id === e.job.id);
    if (at >= 0) list.rows[at] = e.job;
    else if (matches(e.job, list.filters())) list.rows.unshift(e.job);
    else return;
    render();
  };
  for (const type of ["hello", "state", "progress"]) source.addEventListener(type, onEvent);
  addEventListener("pagehide", () => source.close());
}

startAdminPage(async () => {
  list = keysetList({
    fields: FIELDS,
    render,
    fetchPage: keysetPages("/api/admin/jobs", "jobs", LIMIT),
  });
  onLangChange(render);
  await list.load();
  follow();
});
