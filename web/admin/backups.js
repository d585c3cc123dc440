// Admin: backups — the retention (days, read live) and the schedule, every backup in data/backups with
// its size and when retention deletes it, a download link each, and "back up now" (an online SQLite copy).
import { $, api, el, fmtTime, onLangChange, say, showError, startAdminPage, t, table } from "/admin/admin.js";

let last = null;

const size = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;

const COLUMNS = [
  {
    key: "name",
    label: "webadmin_col_name",
    render: (b) =>
      el("a", { href: `/api/admin/backups/${encodeURIComponent(b.name)}`, download: b.name }, b.name),
  },
  { key: "at", label: "webadmin_col_created", render: (b) => fmtTime(b.at) },
  { key: "bytes", label: "webadmin_col_size", num: true, render: (b) => size(b.bytes) },
  { key: "delete_after", label: "webadmin_col_delete_after", render: (b) => fmtTime(b.delete_after) },
];

function render() {
  if (!last) return;
  $("facts").replaceChildren(
    el("dt", {}, t("webadmin_backup_retention")),
    el("dd", { id: "retention" }, t("webadmin_days", { n: last.retention_days })),
    el("dt", {}, t("webadmin_backup_schedule")),
    el("dd", {}, el("code", {}, last.schedule)),
  );
  $("backups").replaceChildren(table(COLUMNS, last.backups, { id: "backups-table" }));
}

async function load() {
  try {
    last = await api("/api/admin/backups");
    render();
  } catch (err) {
    showError($("create"), err);
  }
}

startAdminPage(async () => {
  $("create").addEventListener("click", async () => {
    $("create").disabled = true;
    showError($("create"), "");
    try {
      const b = await api("/api/admin/backups", { method: "POST" });
      say(`${t("webadmin_done")}: ${b.name}`);
      await load();
    } catch (err) {
      showError($("create"), err);
    } finally {
      $("create").disabled = false;
    }
  });
  onLangChange(render);
  await load();
});
