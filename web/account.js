// The account page (/account, and /register?ref=CODE for invited sign-ups). A guest signs in or signs up
// (forgot → /reset-password); a signed-in user has tabs chosen by the URL fragment: overview (balance,
// tier, password, referral link), history (re-download until the result expires), ledger, saved presets,
// API keys (the key is shown once, at creation) and the Telegram link code. Everything comes from the
// /api/auth/* routes; every error is shown next to the control that caused it, in the page's language.
import { $, api, currentUser, fmt, lang, onLangChange, sameOrigin, showError, startPage, t } from "/lib/core.js";

const TABS = ["overview", "history", "ledger", "presets", "keys", "telegram"];
let user = null;
const loaded = new Set();

/** A catalogue text, or `fallback` when the catalogue has no such key. */
const tOr = (key, fallback) => {
  const s = t(key);
  return s === key ? fallback : s;
};
const when = (ms) => (ms ? new Date(ms).toLocaleString(lang, { dateStyle: "short", timeStyle: "short" }) : "—");
/** A table cell; `label` (a catalogue key) names it where narrow screens stack a row's cells. */
const cell = (text, label, cls) => {
  const td = document.createElement("td");
  td.textContent = text;
  td.dataset.label = t(label);
  if (cls) td.className = cls;
  return td;
};
const button = (key, onClick) => {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = t(key);
  b.addEventListener("click", onClick);
  return b;
};

/** Runs `fn` with `control` busy; an error goes next to `errorOf` (default the control itself). */
async function guarded(control, fn, errorOf = control) {
  showError(errorOf, "");
  control.disabled = true;
  try {
    await fn();
  } catch (err) {
    showError(errorOf, err);
  } finally {
    control.disabled = false;
  }
}

/** Where to go after signing in: a same-site path from ?next=, else this page. */
function nextPath() {
  const next = new URLSearchParams(location.search).get("next") || "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/account";
}

// ---- guest: sign in, sign up ----

const ref = new URLSearchParams(location.search).get("ref");
const renderInvite = () => {
  $("signup-ref").hidden = !ref;
  if (ref) $("signup-ref").textContent = t("web_account_invited", { code: ref });
};

function showGuest() {
  $("guest").hidden = false;
  renderInvite();
  if (location.pathname === "/register") $("signup-email").focus();
  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    guarded($("signin-submit"), async () => {
      await api("/api/auth/login", { json: { email: $("signin-email").value, password: $("signin-password").value } });
      location.assign(nextPath());
    });
  });
  $("signup-form").addEventListener("submit", (e) => {
    e.preventDefault();
    guarded($("signup-submit"), async () => {
      const body = { email: $("signup-email").value, password: $("signup-password").value };
      if (ref) body.ref = ref;
      const answer = await api("/api/auth/register", { json: body });
      // Without mail confirmation the answer carries the session cookie: signed in at once.
      const me = await api("/api/auth/me").catch(() => null);
      if (me) location.assign(nextPath());
      else $("signup-result").textContent = answer.message;
    });
  });
}

// ---- signed in: tabs ----

function currentTab() {
  const name = location.hash.slice(1);
  return TABS.includes(name) ? name : "overview";
}

async function showTab() {
  const name = currentTab();
  for (const tab of TABS) $(`tab-${tab}`).hidden = tab !== name;
  for (const a of $("tabs").querySelectorAll("a"))
    if (a.getAttribute("href") === `#${name}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  if (loaded.has(name)) return;
  loaded.add(name);
  try {
    await LOADERS[name]();
  } catch (err) {
    loaded.delete(name);
    showError(null, err);
  }
}

function renderOverview() {
  $("me-email").textContent = user.email || "—";
  $("me-tier").textContent = user.tier_expires_at
    ? t("web_account_tier_until", { tier: user.tier, date: when(user.tier_expires_at) })
    : user.tier;
  $("me-balance").textContent = t("web_account_tokens", { n: user.balance });
  $("me-verified").textContent = t(user.email_verified ? "web_account_yes" : "web_account_no");
}

async function loadOverview() {
  renderOverview();
  const link = await api("/api/referral/my-link").catch(() => null);
  if (link) {
    $("referral").hidden = false;
    $("referral-url").value = link.referral_url;
  }
}

/**
 * A table filled page by page: `fetchPage(cursor)` returns the answer; `row` renders one item. The
 * returned loader starts over (first page, empty table); the "more" button appends the next page.
 */
function pager(table, more, path, row, onPage) {
  let cursor = null;
  const load = async () => {
    const page = await api(cursor ? `${path}?cursor=${encodeURIComponent(cursor)}` : path);
    onPage(page);
    table.tBodies[0].append(...page.items.map(row));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => guarded(more, load));
  return () => {
    cursor = null;
    table.tBodies[0].replaceChildren();
    return load();
  };
}

function historyRow(j) {
  const tr = document.createElement("tr");
  tr.dataset.job = j.id;
  const status = tOr(`web_account_status_${j.status}`, j.status);
  const lufs = j.lufs_after === null ? fmt(j.lufs_before) : `${fmt(j.lufs_before)} → ${fmt(j.lufs_after)}`;
  const result = cell("", "web_account_col_result");
  if (j.download_url) {
    const a = document.createElement("a");
    a.href = sameOrigin(j.download_url);
    a.className = "download";
    a.textContent = t("web_account_download");
    a.setAttribute("download", "");
    const until = document.createElement("small");
    until.textContent = ` ${t("web_account_until", { date: when(j.expires_at) })}`;
    result.append(a, until);
  } else result.textContent = j.error ? j.error.message : j.status === "done" ? t("web_account_expired") : "—";
  tr.append(
    cell(when(j.created_at), "web_account_col_date"),
    cell(j.original_name, "web_account_col_file", "name"),
    cell(status, "web_account_col_status"),
    cell(lufs, "web_account_col_lufs", "num"),
    cell(String(j.cost), "web_account_col_cost", "num"),
    result,
  );
  return tr;
}

const loadHistory = pager($("history-table"), $("history-more"), "/api/auth/history", historyRow, (page) => {
  $("history-total").textContent = t("web_account_history_total", { n: page.total });
});

function ledgerRow(e) {
  const tr = document.createElement("tr");
  const delta = e.delta > 0 ? `+${e.delta}` : String(e.delta);
  const reason = tOr(`web_account_reason_${e.reason}`, e.reason);
  const note = [e.job_id ? `#${e.job_id}` : "", e.note || ""].filter(Boolean).join(" ");
  tr.append(
    cell(when(e.created_at), "web_account_col_date"),
    cell(delta, "web_account_col_change", e.delta > 0 ? "num plus" : "num minus"),
    cell(reason, "web_account_col_reason"),
    cell(note || "—", "web_account_col_note", "name"),
  );
  return tr;
}

const loadLedger = pager($("ledger-table"), $("ledger-more"), "/api/auth/ledger", ledgerRow, (page) => {
  $("ledger-balance").textContent = t("web_account_balance_now", { n: page.balance });
});

// ---- presets ----

/** Names of the catalogue answers (`{list:[…]}`, `{styles:{…}}` or `{formats:[…]}`) for the selects. */
const itemsOf = (body, key) => (Array.isArray(body.list) ? body.list : Object.values(body[key] || {}));
function formatName(f) {
  const ext = f.extension.toUpperCase();
  if (f.lossy) return `${ext} ${f.default_bitrate} kbps`;
  return f.bit_depth ? `${ext} ${f.bit_depth}-bit` : `${ext} 32-bit float`;
}

async function fillPresetSelects() {
  const [styles, platforms, formats] = await Promise.all([
    api(`/api/styles?lang=${lang}`),
    api(`/api/presets?lang=${lang}`),
    api("/api/formats"),
  ]);
  const fill = (select, items, label) => {
    const keep = select.value;
    select.replaceChildren(new Option(t("web_account_preset_default"), ""));
    for (const item of items) select.append(new Option(label(item), item.id));
    select.value = keep;
  };
  fill($("preset-style"), itemsOf(styles, "styles"), (s) => s.name);
  fill($("preset-platform"), itemsOf(platforms, "presets"), (p) => `${p.name} (${p.target_lufs} LUFS)`);
  fill($("preset-format"), itemsOf(formats, "formats"), formatName);
}

/** One line saying what a preset sets ("edm · spotify · −12 LUFS · flac24"). */
function presetSummary(s) {
  const parts = [s.style, s.preset, s.target_lufs !== undefined && `${s.target_lufs} LUFS`];
  parts.push(s.ceiling_dbtp !== undefined && `${s.ceiling_dbtp} dBTP`, s.format);
  return parts.filter(Boolean).join(" · ") || t("web_account_preset_default");
}

/**
 * Fills `list` with one item per entry: its title in bold, what it is, and a remove button (its error is
 * shown at `errorAt`); "nothing here yet" when there is none.
 */
function fillList(list, entries, { title, what, removeKey, removeLabel, remove, errorAt }) {
  list.replaceChildren();
  for (const entry of entries) {
    const li = document.createElement("li");
    const name = Object.assign(document.createElement("strong"), { textContent: title(entry) });
    const text = Object.assign(document.createElement("span"), { textContent: ` — ${what(entry)} ` });
    const b = button(removeKey, () => guarded(b, () => remove(entry), errorAt));
    b.setAttribute("aria-label", removeLabel(entry));
    li.append(name, text, b);
    list.append(li);
  }
  if (!entries.length) list.append(Object.assign(document.createElement("li"), { textContent: t("web_account_none") }));
}

async function loadPresets() {
  const { presets, limit } = await api("/api/auth/presets");
  fillList($("presets-list"), presets, {
    title: (p) => p.name,
    what: (p) => presetSummary(p.settings),
    removeKey: "web_account_delete",
    removeLabel: (p) => t("web_account_delete_named", { name: p.name }),
    remove: async (p) => {
      await api(`/api/auth/presets/${encodeURIComponent(p.id)}`, { method: "DELETE" });
      await loadPresets();
    },
    errorAt: $("preset-submit"),
  });
  $("preset-submit").disabled = presets.length >= limit;
  if (!$("preset-style").options.length) await fillPresetSelects();
}

$("preset-form").addEventListener("submit", (e) => {
  e.preventDefault();
  guarded($("preset-submit"), async () => {
    const settings = {};
    for (const [key, id] of [["style", "preset-style"], ["preset", "preset-platform"], ["format", "preset-format"]])
      if ($(id).value) settings[key] = $(id).value;
    for (const [key, id] of [["target_lufs", "preset-target"], ["ceiling_dbtp", "preset-ceiling"]])
      if ($(id).value !== "") settings[key] = Number($(id).value);
    await api("/api/auth/presets", { json: { name: $("preset-name").value, settings } });
    $("preset-form").reset();
    await loadPresets();
  });
});

// ---- API keys ----

async function loadKeys() {
  const { keys, limit } = await api("/api/auth/api-keys");
  fillList($("keys-list"), keys, {
    title: (k) => `${k.prefix}…`,
    what: (k) => {
      const used = k.last_used_at ? t("web_account_key_used", { date: when(k.last_used_at) }) : t("web_account_key_unused");
      return `${k.name ? `${k.name} · ` : ""}${when(k.created_at)} · ${used}`;
    },
    removeKey: "web_account_key_revoke",
    removeLabel: (k) => t("web_account_key_revoke_named", { name: k.prefix }),
    remove: async (k) => {
      await api(`/api/auth/api-keys/${k.id}`, { method: "DELETE" });
      $("key-once").hidden = true;
      await loadKeys();
    },
    errorAt: $("key-submit"),
  });
  $("key-submit").disabled = keys.length >= limit;
}

$("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  guarded($("key-submit"), async () => {
    const made = await api("/api/auth/api-keys", { json: { name: $("key-name").value } });
    $("key-form").reset();
    $("key-once").hidden = false;
    $("key-value").value = made.key;
    $("key-value").select();
    await loadKeys();
  });
});

// ---- Telegram ----

function renderTelegram() {
  const linked = user.telegram_linked;
  $("telegram-state").textContent = t(linked ? "web_account_telegram_linked" : "web_account_telegram_not_linked");
  $("telegram-form").hidden = linked;
  $("telegram-unlink").hidden = !linked;
}

$("telegram-form").addEventListener("submit", (e) => {
  e.preventDefault();
  guarded($("telegram-submit"), async () => {
    const out = await api("/api/auth/telegram/link", { json: { code: $("telegram-code").value.trim() } });
    user = { ...user, telegram_linked: true, balance: out.balance };
    $("telegram-form").reset();
    renderTelegram();
    renderOverview();
    $("telegram-state").textContent = t("web_account_telegram_done", {
      name: out.telegram_username ? `@${out.telegram_username}` : "Telegram",
      tokens: out.moved_tokens,
      jobs: out.moved_jobs,
    });
    loaded.delete("history");
    loaded.delete("ledger");
  });
});

$("telegram-unlink").addEventListener("click", () =>
  guarded($("telegram-unlink"), async () => {
    await api("/api/auth/telegram/unlink", { method: "POST" });
    user = { ...user, telegram_linked: false };
    renderTelegram();
  }),
);

$("password-form").addEventListener("submit", (e) => {
  e.preventDefault();
  guarded($("password-submit"), async () => {
    await api("/api/auth/change-password", {
      json: { current_password: $("current-password").value, new_password: $("new-password").value },
    });
    $("password-form").reset();
    $("password-result").textContent = t("web_account_password_changed");
  });
});

const LOADERS = {
  overview: loadOverview,
  history: loadHistory,
  ledger: loadLedger,
  presets: loadPresets,
  keys: loadKeys,
  telegram: async () => renderTelegram(),
};

startPage(async () => {
  user = await currentUser();
  if (!user) {
    showGuest();
    onLangChange(renderInvite);
    return;
  }
  $("signed-in").hidden = false;
  addEventListener("hashchange", showTab);
  // Lists are written by code (dates, statuses, reasons): rebuilt in the new language.
  onLangChange(() => {
    loaded.clear();
    return showTab();
  });
  await showTab();
});
