// Admin: the tiers editor — one column per tier, one row per limit, each value in the words of
// `magic-master admin tiers set` ("unlimited", "all", "none", "a,b"). Saving a tier sends only the fields
// that changed (PUT /api/admin/tiers/:name {set}), applied together or not at all and audited as one
// entry; a refusal is shown under that tier's Save button in the page language.
import { $, api, el, onLangChange, onSubmit, say, showError, startAdminPage, t } from "/admin/admin.js";

let last = null;

const count = (n) => (n === null ? "unlimited" : String(n));
const list = (v) => (v === null ? "all" : v.length ? v.join(",") : "none");

/** A tier's field in the text form the API (and the CLI) parses. */
function textOf(tier, field) {
  if (field.startsWith("tokens_")) return String(tier.tokens[field.slice("tokens_".length)]);
  const v = tier[field];
  if (field === "masters_per_period" || field === "daily_cap") return count(v);
  if (field === "styles" || field === "formats" || field === "modules") return list(v);
  if (field === "api_keys") return v ? "true" : "false";
  return String(v);
}

function control(tier, field) {
  const attrs = {
    form: `tier-${tier.name}`,
    name: field,
    id: `tier-${tier.name}-${field}`,
    "aria-label": `${tier.name}: ${field}`,
  };
  const value = textOf(tier, field);
  if (field === "period" || field === "api_keys") {
    const options = field === "period" ? last.choices.periods : ["true", "false"];
    const label = (o) => (field === "api_keys" ? t(o === "true" ? "webadmin_on" : "webadmin_off") : o);
    return el("select", attrs, options.map((o) => el("option", { value: o, selected: o === value }, label(o))));
  }
  const ids = last.choices[field];
  return el("input", {
    ...attrs,
    type: "text",
    value,
    class: ids ? "wide" : null,
    autocomplete: "off",
    title: ids ? `all | none | ${ids.join(",")}` : null,
  });
}

function saveForm(tier) {
  const id = `tier-${tier.name}`;
  const form = el("form", { id }, el("button", { type: "submit" }, t("webadmin_save")));
  onSubmit(
    form,
    (values) => {
      const set = {};
      for (const field of last.choices.fields)
        if (values[field] !== undefined && String(values[field]).trim() !== textOf(tier, field))
          set[field] = String(values[field]).trim();
      if (!Object.keys(set).length) throw new Error(t("webadmin_no_changes"));
      return api(`/api/admin/tiers/${encodeURIComponent(tier.name)}`, { method: "PUT", json: { set } });
    },
    async (saved) => {
      say(t("webadmin_tier_saved", { name: saved.name }));
      await load();
    },
  );
  return [form, el("p", { id: `${id}-error`, class: "error", role: "alert", hidden: true })];
}

function render() {
  if (!last) return;
  const { tiers, choices } = last;
  const head = el(
    "tr",
    {},
    el("th", { scope: "col" }, t("webadmin_tier_field")),
    tiers.map((x) => el("th", { scope: "col" }, x.name)),
  );
  const rows = choices.fields.map((field) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, el("code", {}, field)),
      tiers.map((x) => el("td", {}, control(x, field))),
    ),
  );
  const save = el("tr", {}, el("td"), tiers.map((x) => el("td", {}, saveForm(x))));
  $("tiers").replaceChildren(
    el("table", { id: "tiers-table", class: "admin-table" }, el("thead", {}, head), el("tbody", {}, rows, save)),
  );
}

async function load() {
  try {
    last = await api("/api/admin/tiers");
    render();
  } catch (err) {
    showError({ id: "load" }, err);
  }
}

startAdminPage(async () => {
  onLangChange(render);
  await load();
});
