// The master page's advanced chain settings (master.js): the chain of the chosen style from
// /api/v2/chain/default drawn as one fieldset per module, and the user's edits of it, kept as only the
// values that differ from the style's defaults ({module: {param: value}}, sent as `modules`).
import { $, api, showError, t } from "/lib/core.js";

let chain = null;
/** The user's edits of the chain: {module: {param: value}}; sent as `modules`. */
let overrides = {};

/** The edits to send (empty: none). */
export const chainEdits = () => overrides;
/** Forgets every edit (the reset button) and draws the defaults again. */
export function resetChain() {
  overrides = {};
  renderModules();
}

const RANGES = {
  freq_hz: [10, 200, 1],
  reduction_db: [1, 30, 0.5],
  threshold: [0.001, 1, 0.001],
  attack_db: [-12, 12, 0.5],
  sustain_db: [-12, 12, 0.5],
  amount: [0, 3, 0.05],
  threshold_offset_db: [-12, 12, 0.5],
  attack_scale: [0.05, 5, 0.05],
  mix: [0, 1, 0.05],
  amount_db: [0, 6, 0.1],
  width: [0, 2, 0.05],
};

export const fetchChain = (style) => api(`/api/v2/chain/default?style=${encodeURIComponent(style)}`);

export async function loadChain(pending) {
  const style = $("style").value;
  const auto = style === "auto";
  $("advanced-hint").textContent = t(auto ? "web_advanced_auto" : "web_advanced_hint");
  chain = auto ? null : await (style === "standard" && pending ? pending : fetchChain(style));
  renderModules();
}

function setOverride(mod, param, value) {
  const base = chain.modules[mod][param];
  const mine = { ...(overrides[mod] || {}) };
  if (value === base) delete mine[param];
  else mine[param] = value;
  if (Object.keys(mine).length) overrides[mod] = mine;
  else delete overrides[mod];
}

export function renderModules() {
  const box = $("modules");
  box.replaceChildren();
  if (!chain) return;
  for (const [mod, params] of Object.entries(chain.modules)) {
    const set = document.createElement("fieldset");
    set.className = "module";
    const legend = document.createElement("legend");
    legend.textContent = t(`web_mod_${mod}`);
    set.append(legend);
    for (const [param, base] of Object.entries(params)) {
      const id = `mod-${mod}-${param}`;
      const value = overrides[mod]?.[param] ?? base;
      const wrap = document.createElement("div");
      wrap.className = param === "enabled" ? "check" : "num";
      const input = document.createElement("input");
      input.id = id;
      const label = document.createElement("label");
      label.htmlFor = id;
      if (param === "enabled") {
        input.type = "checkbox";
        input.checked = value;
        label.textContent = t("web_module_enabled", { name: t(`web_mod_${mod}`) });
        input.addEventListener("change", () => setOverride(mod, param, input.checked));
        wrap.append(input, label);
      } else {
        const [min, max, step] = RANGES[param] || [-100, 100, 0.01];
        Object.assign(input, { type: "number", min, max, step, value: String(value), inputMode: "decimal" });
        label.textContent = t(`web_param_${param}`);
        const err = document.createElement("p");
        err.id = `${id}-error`;
        err.className = "error";
        err.setAttribute("role", "alert");
        err.hidden = true;
        input.addEventListener("change", () => {
          const n = Number(input.value);
          if (input.value === "" || !Number.isFinite(n) || n < min || n > max)
            return showError(input, t("web_number_range", { min, max }));
          showError(input, "");
          setOverride(mod, param, n);
        });
        wrap.append(label, input, err);
      }
      set.append(wrap);
    }
    box.append(set);
  }
}

