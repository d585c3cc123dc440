// Admin: settings — maintenance mode with its message, the feature flags (each with the routes it guards),
// every runtime setting (its env name, default and current value; secrets are write-only: an empty field
// keeps the secret, "reset" returns to the env/default), and the test e-mail / Telegram message.
import {
  $,
  api,
  el,
  onLangChange,
  onSubmit,
  say,
  showError,
  startAdminPage,
  t,
  table,
} from "/admin/admin.js";

let last = null;

function valueForm(s) {
  const id = `set-${s.key}`;
  const form = el(
    "form",
    { class: "inline", id },
    el("input", {
      type: s.secret ? "password" : "text",
      name: "value",
      size: 18,
      value: s.secret ? "" : (s.value ?? ""),
      placeholder: s.secret ? (s.set ? "••••••" : "") : (s.default ?? ""),
      autocomplete: "off",
      "aria-label": s.key,
    }),
    el("button", { type: "submit" }, t("webadmin_save")),
    s.overridden
      ? el("button", { type: "button", onclick: () => save(s.key, null, form) }, t("webadmin_settings_reset"))
      : null,
  );
  onSubmit(form, (v) => save(s.key, String(v.value ?? ""), form));
  return [form, el("p", { id: `${id}-error`, class: "error", role: "alert", hidden: true })];
}

async function save(key, value, form) {
  showError(form, "");
  try {
    await api(`/api/admin/settings/${encodeURIComponent(key)}`, { method: "PUT", json: { value } });
    say(`${t("webadmin_done")}: ${key}`);
    await load();
  } catch (err) {
    showError(form, err);
  }
}

const COLUMNS = [
  {
    key: "key",
    label: "webadmin_col_name",
    render: (s) => [el("strong", {}, s.key), el("br"), el("code", {}, s.env)],
  },
  { key: "group", label: "webadmin_col_group" },
  { key: "default", label: "webadmin_col_default", render: (s) => (s.secret ? "" : s.default) },
  { key: "value", label: "webadmin_col_value", render: valueForm },
];

function render() {
  if (!last) return;
  $("maint-on").checked = last.maintenance.on;
  $("maint-message").value = last.maintenance.message;
  $("flags").replaceChildren(
    ...last.flags.map((f) =>
      el(
        "p",
        {},
        el(
          "label",
          {},
          el("input", {
            type: "checkbox",
            id: `flag-${f.name}`,
            checked: f.on,
            onchange: (ev) => setFlag(f.name, ev.target.checked),
          }),
          ` ${f.name} `,
          el("span", { class: "hint" }, f.routes.join(", ")),
        ),
      ),
    ),
  );
  $("values").replaceChildren(table(COLUMNS, last.values, { id: "settings-table" }));
}

async function setFlag(name, on) {
  showError({ id: "flags" }, "");
  try {
    await api(`/api/admin/flags/${encodeURIComponent(name)}`, { json: { on } });
    say(`${t("webadmin_done")}: ${name}`);
  } catch (err) {
    showError({ id: "flags" }, err);
  }
  await load();
}

async function load() {
  try {
    last = await api("/api/admin/settings");
    render();
  } catch (err) {
    showError({ id: "load" }, err);
  }
}

startAdminPage(async () => {
  onSubmit(
    $("maintenance"),
    () =>
      api("/api/admin/maintenance", {
        json: { on: $("maint-on").checked, message: $("maint-message").value },
      }),
    async () => {
      say(t("webadmin_done"));
      await load();
    },
  );
  onSubmit(
    $("test-email"),
    (v) => api("/api/admin/test-email", { json: { to: v.to } }),
    (r) => say(t("webadmin_sent", { to: r.to })),
  );
  $("test-telegram").addEventListener("click", async () => {
    showError($("test-telegram"), "");
    try {
      const r = await api("/api/admin/test-telegram", { method: "POST" });
      say(t("webadmin_sent", { to: r.to }));
    } catch (err) {
      showError($("test-telegram"), err);
    }
  });
  onLangChange(render);
  await load();
});
