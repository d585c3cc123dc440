// Admin: the plans editor — every plan (switched-off ones too) as one row of fields in the words of
// `magic-master admin plans set` (price "990.00", stars "none"); Save sends only the fields that changed
// (PATCH /api/admin/plans/:key {set}: all or nothing, one audit entry). An order keeps the figures it was
// created with, so an edit here never alters one. "New plan" adds a token pack or a subscription
// (POST /api/admin/plans). Refusals are shown next to the row's Save button in the page language.
import { $, api, el, onLangChange, onSubmit, say, showError, startAdminPage, t, table } from "/admin/admin.js";

let last = null;

/** Minor units → "1000.00" (exact for whole kopecks). */
const price = (minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

/** A plan's editable fields in the text form the API (and the CLI) parses. */
const textOf = (p) => ({
  price: price(p.amount_minor),
  tokens: String(p.tokens),
  period_days: String(p.period_days),
  stars: p.stars === null ? "none" : String(p.stars),
  label_ru: p.label_ru,
  label_en: p.label_en,
  active: p.active ? "on" : "off",
});

const formId = (p) => `plan-${p.key}`;

function field(p, name, attrs = {}) {
  return el("input", {
    type: "text",
    form: formId(p),
    name,
    id: `${formId(p)}-${name}`,
    value: textOf(p)[name],
    autocomplete: "off",
    "aria-label": `${p.key}: ${t(`webadmin_col_${name}`)}`,
    ...attrs,
  });
}

function activeSelect(p) {
  return el(
    "select",
    { form: formId(p), name: "active", id: `${formId(p)}-active`, "aria-label": `${p.key}: ${t("webadmin_col_active")}` },
    ["on", "off"].map((v) =>
      el("option", { value: v, selected: textOf(p).active === v }, t(v === "on" ? "webadmin_on" : "webadmin_off")),
    ),
  );
}

function saveForm(p) {
  const form = el("form", { id: formId(p) }, el("button", { type: "submit" }, t("webadmin_save")));
  onSubmit(
    form,
    (values) => {
      const before = textOf(p);
      const set = {};
      for (const [k, v] of Object.entries(values)) if (k in before && String(v).trim() !== before[k]) set[k] = String(v).trim();
      if (!Object.keys(set).length) throw new Error(t("webadmin_no_changes"));
      return api(`/api/admin/plans/${encodeURIComponent(p.key)}`, { method: "PATCH", json: { set } });
    },
    async (saved) => {
      say(t("webadmin_plan_saved", { key: saved.key }));
      await load();
    },
  );
  return [form, el("p", { id: `${formId(p)}-error`, class: "error", role: "alert", hidden: true })];
}

const COLUMNS = [
  {
    key: "key",
    label: "webadmin_col_key",
    render: (p) => [
      el("strong", {}, p.key),
      el("br"),
      el("span", { class: "hint" }, p.kind === "tier" ? `${t("webadmin_kind_tier")}: ${p.tier}` : t("webadmin_kind_tokens")),
    ],
  },
  { key: "price", label: "webadmin_col_price", render: (p) => field(p, "price", { inputmode: "decimal" }) },
  { key: "tokens", label: "webadmin_col_tokens", render: (p) => field(p, "tokens", { inputmode: "numeric" }) },
  {
    key: "period_days",
    label: "webadmin_col_period_days",
    // A token pack has no period.
    render: (p) => (p.kind === "tier" ? field(p, "period_days", { inputmode: "numeric" }) : null),
  },
  { key: "stars", label: "webadmin_col_stars", render: (p) => field(p, "stars") },
  { key: "label_ru", label: "webadmin_col_label_ru", render: (p) => field(p, "label_ru", { class: "wide" }) },
  { key: "label_en", label: "webadmin_col_label_en", render: (p) => field(p, "label_en", { class: "wide" }) },
  { key: "active", label: "webadmin_col_active", render: activeSelect },
  { key: "save", label: "webadmin_col_actions", render: saveForm },
];

function render() {
  if (!last) return;
  $("plans").replaceChildren(table(COLUMNS, last.plans, { id: "plans-table" }));
  const tier = $("new-tier");
  const chosen = tier.value;
  tier.replaceChildren(...last.choices.tiers.map((x) => el("option", { value: x, selected: x === chosen }, x)));
  syncKind();
}

/** The tier and period fields only mean something for a subscription. */
function syncKind() {
  const sub = $("new-kind").value === "tier";
  $("new-tier").disabled = !sub;
  $("new-period").disabled = !sub;
}

async function load() {
  try {
    last = await api("/api/admin/plans");
    render();
  } catch (err) {
    showError({ id: "load" }, err);
  }
}

startAdminPage(async () => {
  $("new-kind").addEventListener("change", syncKind);
  onSubmit(
    $("plan-new"),
    (v) => {
      const set = { price: v.price, tokens: v.tokens || "0", stars: v.stars || "none", label_ru: v.label_ru, label_en: v.label_en };
      const sub = v.kind === "tier";
      if (sub) set.period_days = v.period_days || "0";
      return api("/api/admin/plans", { json: { key: v.key, kind: v.kind, tier: sub ? v.tier : null, set } });
    },
    async (p) => {
      say(t("webadmin_plan_added", { key: p.key }));
      $("plan-new").reset();
      await load();
    },
  );
  onLangChange(render);
  await load();
});
