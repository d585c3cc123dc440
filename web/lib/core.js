// What every page of the web app shares: its language and texts (from the server's RU/EN catalogue at
// /api/i18n/:lang, nothing hard-coded), one way to call the API and show its errors next to the control
// that caused them, and the site header (navigation, sign-in state, RU/EN switch remembered).
// Plain ES modules, no framework: a page imports what it needs from here.

export const $ = (id) => document.getElementById(id);

let texts = {};
/** The page's language: the one chosen before (remembered), else the browser's. */
export let lang =
  localStorage.getItem("mm_lang") || ((navigator.language || "en").toLowerCase().startsWith("ru") ? "ru" : "en");

/** A text of the catalogue with `{name}` placeholders filled; the key itself when it is missing. */
export const t = (key, params = {}) =>
  (texts[key] || key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));

/** Fills every `[data-i18n]` element under `root` (and `[data-i18n-label]` aria-labels). */
export function applyTexts(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-placeholder]"))
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
}

const langListeners = [];
/** Runs `fn` after every language switch (re-render texts built in code). */
export const onLangChange = (fn) => langListeners.push(fn);

const textSources = [];
/**
 * Adds a second source of texts, merged over the catalogue on every load and language switch: `load(lang)`
 * resolves to `{key: text}` (the admin panel's texts come from its own, admin-only route).
 */
export const addTextSource = (load) => textSources.push(load);

export async function loadTexts() {
  const [base, ...extra] = await Promise.all([
    fetch(`/api/i18n/${lang}`).then((r) => r.json()),
    ...textSources.map((load) => load(lang)),
  ]);
  texts = Object.assign({}, base, ...extra);
  document.documentElement.lang = lang;
  applyTexts();
}

export async function setLang(next) {
  lang = next;
  localStorage.setItem("mm_lang", next);
  await loadTexts();
  for (const fn of langListeners) await fn(next);
}

/** An API error answer: `code` is the catalogue key, `message` is already in the caller's language. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

/**
 * Calls our API (same origin: the page's CSP allows nothing else) and resolves with the JSON answer.
 * `json` sends a JSON body, `form` a FormData. Throws ApiError for a non-2xx answer (message in the
 * page's language) and ApiError("network_error") when the server cannot be reached.
 */
export async function api(path, { method, json, form, signal, headers = {} } = {}) {
  const init = { method: method || (json || form ? "POST" : "GET"), signal, headers: { "Accept-Language": lang, ...headers } };
  if (json !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form) init.body = form;
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e?.name === "AbortError") throw e;
    throw new ApiError(0, "network_error", t("web_network_error"));
  }
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = body?.error;
    throw new ApiError(res.status, err?.code || "http_error", err?.message || `HTTP ${res.status}`, err?.details);
  }
  return body;
}

/**
 * Shows `err` (an ApiError, an Error or a string; empty clears) in the error element tied to `control`:
 * the element `#<control.id>-error` when it exists, else the page's `#error`. The control gets
 * aria-invalid and aria-describedby so a screen reader announces the message with it.
 */
export function showError(control, err) {
  const message = typeof err === "string" ? err : err?.message || "";
  const box = (control?.id && $(`${control.id}-error`)) || $("error");
  if (box) {
    box.textContent = message;
    box.hidden = !message;
  }
  if (control?.setAttribute) {
    if (message) {
      control.setAttribute("aria-invalid", "true");
      if (box?.id) control.setAttribute("aria-describedby", box.id);
    } else control.removeAttribute("aria-invalid");
  }
}

/** A number for display ("—" when missing). */
export const fmt = (v, digits = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—");

/** An amount of money ("1000.00", "RUB") as the page's language writes it: "1 000,00 ₽" / "RUB 1,000.00". */
export const money = (amount, currency) => {
  try {
    return new Intl.NumberFormat(lang, { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
};

/** The API answers absolute URLs (MM_PUBLIC_URL); pages talk to the server that served them. */
export const sameOrigin = (url) => {
  const u = new URL(url, location.href);
  return `${u.pathname}${u.search}`;
};

/** The signed-in user (`GET /api/auth/me`: id, email, tier, balance, is_admin…), or null for a guest. Cached. */
let me;
export async function currentUser() {
  if (me !== undefined) return me;
  try {
    me = await api("/api/auth/me");
  } catch {
    me = null;
  }
  return me;
}

const NAV = [
  ["/", "web_nav_master"],
  ["/pricing", "web_nav_pricing"],
  ["/account", "web_nav_account"],
  ["/status", "web_status_link"],
];

/**
 * Renders the site header into `<header id="site-header">`: navigation (the current page marked with
 * aria-current), sign in / the user's e-mail and sign out, and the RU/EN switch.
 */
export async function mountHeader() {
  const header = $("site-header");
  if (!header) return;
  const user = await currentUser();
  header.replaceChildren();
  const title = document.createElement("a");
  title.href = "/";
  title.className = "brand";
  title.dataset.i18n = "web_title";
  const nav = document.createElement("nav");
  nav.setAttribute("aria-label", "main");
  for (const [href, key] of NAV) {
    const a = document.createElement("a");
    a.href = href;
    a.dataset.i18n = key;
    if (location.pathname === href) a.setAttribute("aria-current", "page");
    nav.append(a);
  }
  const who = document.createElement("span");
  who.className = "who";
  if (user) {
    who.append(document.createTextNode(`${user.email || ""} `));
    const out = document.createElement("button");
    out.type = "button";
    out.id = "sign-out";
    out.dataset.i18n = "web_sign_out";
    out.addEventListener("click", async () => {
      await api("/api/auth/logout", { method: "POST" }).catch(() => {});
      location.href = "/";
    });
    who.append(out);
  } else {
    const a = document.createElement("a");
    a.href = "/account";
    a.id = "sign-in";
    a.dataset.i18n = "web_sign_in";
    who.append(a);
  }
  const langs = document.createElement("span");
  langs.className = "langs";
  for (const l of ["ru", "en"]) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = `lang-${l}`;
    b.textContent = l.toUpperCase();
    b.setAttribute("aria-pressed", String(l === lang));
    b.addEventListener("click", async () => {
      await setLang(l);
      for (const other of langs.children) other.setAttribute("aria-pressed", String(other.id === `lang-${lang}`));
    });
    langs.append(b);
  }
  header.append(title, nav, who, langs);
  applyTexts(header);
}

/** Starts a page: texts, header, then `main()`; marks `body[data-ready]` for tests when done. */
export async function startPage(main) {
  await loadTexts();
  await mountHeader();
  if (main) await main();
  document.body.dataset.ready = "1";
}
