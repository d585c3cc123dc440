// The admin panel's shell, shared by every page under /admin: its texts (webadmin_* keys from the
// admin-only GET /api/admin/i18n/:lang, merged over the site's), the section navigation, and small DOM
// helpers for tables, pagination and forms. A page does:
//   import { startAdminPage, el, table } from "/admin/admin.js";
//   startAdminPage(async () => { ... });
// Pages and this file are served only to admins (everyone else gets the unknown-route 404).
import { $, addTextSource, api, applyTexts, currentUser, lang, loadTexts, onLangChange, setLang, showError, t } from "/lib/core.js";

addTextSource(async (l) => {
  const res = await fetch(`/api/admin/i18n/${l}`);
  return res.ok ? res.json() : {};
});

/** Every section of the panel, in the order of the navigation. */
export const SECTIONS = [
  ["/admin", "webadmin_nav_dashboard"],
  ["/admin/users", "webadmin_nav_users"],
  ["/admin/payments", "webadmin_nav_payments"],
  ["/admin/jobs", "webadmin_nav_jobs"],
  ["/admin/settings", "webadmin_nav_settings"],
  ["/admin/backups", "webadmin_nav_backups"],
  ["/admin/audit", "webadmin_nav_audit"],
];

/** Pages inside a section (the section bar marks their section): the settings area's editors. */
export const SUBPAGES = { "/admin/tiers": "/admin/settings", "/admin/plans": "/admin/settings" };

/**
 * Builds an element: `el("a", { href: "/x", class: "btn", dataset: { i18n: "key" } }, "text", child)`.
 * Attributes starting with "on" are event listeners; `text` sets textContent; null/false are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** Date and time of a unix-ms value in the page language ("—" for none). */
export const fmtTime = (ms) =>
  typeof ms === "number" && ms > 0
    ? new Date(ms).toLocaleString(lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "short", timeStyle: "short" })
    : "—";

/** An amount in minor units (kopecks, cents; Stars are whole) with its currency. */
export const fmtMoney = (minor, currency) =>
  typeof minor === "number" ? `${currency === "XTR" ? minor : (minor / 100).toFixed(2)} ${currency || ""}`.trim() : "—";

/**
 * A table: `columns` = [{ key, label (text key), render?(row) → node|string, num? }]; an empty `rows`
 * shows one row with the "nothing found" text.
 */
export function table(columns, rows, { id, caption } = {}) {
  const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : null }, t(c.label))));
  const body = rows.length
    ? rows.map((r) =>
        el(
          "tr",
          {},
          columns.map((c) => {
            const v = c.render ? c.render(r) : r[c.key];
            return el("td", { class: c.num ? "num" : null }, v === null || v === undefined || v === "" ? "—" : v);
          }),
        ),
      )
    : [el("tr", {}, el("td", { colspan: columns.length, class: "empty" }, t("webadmin_nothing")))];
  return el(
    "table",
    { id, class: "admin-table" },
    caption ? el("caption", {}, caption) : null,
    el("thead", {}, head),
    el("tbody", {}, body),
  );
}

/** Previous/next controls for `{ total, limit, offset }`; `go(offset)` loads that page. */
export function pager({ total, limit, offset }, go) {
  const last = Math.max(0, total - 1);
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return el(
    "nav",
    { class: "pager", "aria-label": t("webadmin_pages") },
    el("button", { type: "button", disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit)) }, "←"),
    el("span", {}, t("webadmin_page_of", { from, to, total })),
    el("button", { type: "button", disabled: offset + limit > last, onclick: () => go(offset + limit) }, "→"),
  );
}

/** The query string of the page as an object, and a way to change it without a reload. */
export const query = () => Object.fromEntries(new URLSearchParams(location.search));
export function setQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  history.replaceState(null, "", `${location.pathname}${s ? `?${s}` : ""}`);
}

/** The non-empty values of the form fields with these ids. */
export function fieldValues(fields) {
  const out = {};
  for (const f of fields) if ($(f).value.trim()) out[f] = $(f).value.trim();
  return out;
}

/**
 * A filtered list paged by the last id seen: the `#filters` form's `fields` are restored from and kept in
 * the URL; `fetchPage(filters, before)` returns `{ rows, next }`; `render()` draws `list.rows` (and shows
 * more while `list.next` is set). Call `list.load()` once the page starts.
 */
export function keysetList({ fields, fetchPage, render }) {
  const list = { rows: [], next: null, filters: () => fieldValues(fields) };
  list.load = async (before) => {
    const f = list.filters();
    setQuery(f);
    showError($("filters"), "");
    try {
      const page = await fetchPage(f, before);
      list.rows = before ? [...list.rows, ...page.rows] : page.rows;
      list.next = page.next;
      render();
    } catch (err) {
      showError($("filters"), err);
    }
  };
  const q = query();
  for (const f of fields) if (q[f] !== undefined) $(f).value = q[f];
  $("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    list.load();
  });
  $("more")?.addEventListener("click", () => list.load(list.next));
  return list;
}

/**
 * A keysetList `fetchPage` for a list API that answers `{[key]: rows, next}`: the filters, `limit` and the
 * last id seen (`before`) go in the query.
 */
export const keysetPages = (path, key, limit) => async (filters, before) => {
  const qs = new URLSearchParams({ ...filters, limit: String(limit), ...(before ? { before: String(before) } : {}) });
  const page = await api(`${path}?${qs}`);
  return { rows: page[key], next: page.next };
};

/**
 * Wires a form: on submit runs `action(values)` (an object of its named fields) with the submit button
 * disabled, shows an error next to the form (its `#<form.id>-error`), and `done(result)` after success.
 */
export function onSubmit(form, action, done) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    showError(form, "");
    try {
      const values = Object.fromEntries(new FormData(form));
      const result = await action(values);
      if (done) await done(result);
    } catch (err) {
      showError(form, err);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

/** A short status line for an action's outcome (role=status, read out by screen readers). */
export function say(text) {
  const box = $("admin-status");
  if (box) box.textContent = text;
}

function mountAdminHeader(user) {
  const header = $("site-header");
  if (!header) return;
  header.classList.add("admin-header");
  const brand = el("a", { href: "/admin", class: "brand", dataset: { i18n: "webadmin_title" } });
  const path = location.pathname.replace(/\/$/, "") || "/admin";
  const here = SUBPAGES[path] ?? path;
  const nav = el(
    "nav",
    { "aria-label": "admin" },
    SECTIONS.map(([href, key]) =>
      el("a", { href, dataset: { i18n: key }, "aria-current": here === href || (href !== "/admin" && here.startsWith(`${href.replace(/s$/, "")}`)) ? "page" : null }),
    ),
  );
  const who = el(
    "span",
    { class: "who" },
    user?.email ? `${user.email} ` : "",
    el("a", { href: "/", dataset: { i18n: "webadmin_to_site" } }),
  );
  const langs = el(
    "span",
    { class: "langs" },
    ["ru", "en"].map((l) =>
      el("button", {
        type: "button",
        id: `lang-${l}`,
        "aria-pressed": String(l === lang),
        text: l.toUpperCase(),
        onclick: async () => {
          await setLang(l);
          for (const b of header.querySelectorAll(".langs button")) b.setAttribute("aria-pressed", String(b.id === `lang-${l}`));
        },
      }),
    ),
  );
  header.replaceChildren(brand, nav, who, langs);
  applyTexts(header);
}

/** Starts an admin page: texts, the admin header, then `main()`; marks `body[data-ready]` when done. */
export async function startAdminPage(main) {
  await loadTexts();
  mountAdminHeader(await currentUser());
  // A section's own sub-navigation (nav.subnav) marks the page it is on.
  for (const a of document.querySelectorAll("nav.subnav a"))
    if (a.getAttribute("href") === location.pathname.replace(/\/$/, "")) a.setAttribute("aria-current", "page");
  if (main) await main();
  document.body.dataset.ready = "1";
}

export { $, api, onLangChange, showError, t };
