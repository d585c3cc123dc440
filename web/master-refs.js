// The master page's reference tracks (reference matching): up to 3 files, each checked in the browser like
// the track itself (type by its first bytes, size against the caller's limit) before any byte is sent,
// each with a weight; and which aspects to match (tone, loudness, width, dynamics; at least one).
// Sent with the track as `reference` parts, `match` and `reference_weights` (POST /api/v2/master).
import { $, showError, t } from "/lib/core.js";
import { checkFile, mb, wireDrop } from "/lib/audio-file.js";

export const MAX_REFS = 3;
export const ASPECTS = ["tone", "loudness", "width", "dynamics"];
const WEIGHT = { min: 1, max: 10, initial: 5 };

/** [{file, weight}] in the order added (the server averages them with these weights). */
const refs = [];
let limitsOf = () => null;

function shares() {
  const sum = refs.reduce((s, r) => s + r.weight, 0) || 1;
  return refs.map((r) => Math.round((r.weight / sum) * 100));
}

function render() {
  const list = $("refs");
  list.replaceChildren();
  const pct = shares();
  refs.forEach((r, i) => {
    const li = document.createElement("li");
    li.className = "ref";
    li.dataset.ref = String(i + 1);
    const name = document.createElement("span");
    name.className = "ref-name";
    name.textContent = t("web_ref_item", { name: r.file.name, size: mb(r.file.size) });
    const wrap = document.createElement("span");
    wrap.className = "ref-weight";
    const id = `ref-weight-${i + 1}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = t("web_ref_weight");
    const input = document.createElement("input");
    Object.assign(input, { type: "number", id, min: WEIGHT.min, max: WEIGHT.max, step: 1, inputMode: "numeric" });
    input.value = String(r.weight);
    const share = document.createElement("output");
    share.htmlFor = id;
    share.className = "ref-share";
    share.textContent = refs.length > 1 ? t("web_ref_share", { percent: pct[i] }) : "";
    const err = document.createElement("p");
    err.id = `${id}-error`;
    err.className = "error";
    err.setAttribute("role", "alert");
    err.hidden = true;
    input.addEventListener("change", () => {
      const n = Number(input.value);
      if (!Number.isInteger(n) || n < WEIGHT.min || n > WEIGHT.max)
        return showError(input, t("web_number_range", { min: WEIGHT.min, max: WEIGHT.max }));
      showError(input, "");
      r.weight = n;
      const now = shares();
      for (const [k, out] of [...list.querySelectorAll(".ref-share")].entries())
        out.textContent = refs.length > 1 ? t("web_ref_share", { percent: now[k] }) : "";
    });
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.id = `ref-remove-${i + 1}`;
    remove.textContent = t("web_ref_remove");
    remove.setAttribute("aria-label", t("web_ref_remove_named", { name: r.file.name }));
    remove.addEventListener("click", () => {
      refs.splice(i, 1);
      render();
      $("ref-file").focus();
    });
    wrap.append(label, input, share);
    // One reference has nothing to be weighed against.
    wrap.hidden = refs.length < 2;
    li.append(name, wrap, remove, err);
    list.append(li);
  });
  const full = refs.length >= MAX_REFS;
  $("ref-drop").hidden = full;
  $("ref-full").hidden = !full;
  $("match").hidden = refs.length === 0;
  if (refs.length === 0) showError($("match"), "");
}

async function add(files) {
  const input = $("ref-file");
  showError(input, "");
  for (const file of files) {
    if (refs.length >= MAX_REFS) {
      showError(input, t("web_ref_too_many", { max: MAX_REFS }));
      break;
    }
    const problem = await checkFile(file, limitsOf());
    if (problem) {
      showError(input, problem);
      continue;
    }
    refs.push({ file, weight: WEIGHT.initial });
  }
  input.value = "";
  render();
}

/** Wires the reference controls; `getLimits()` answers the caller's current GET /api/limits. */
export function initRefs(getLimits) {
  limitsOf = getLimits;
  wireDrop($("ref-drop"), $("ref-file"), add);
  for (const a of ASPECTS) $(`match-${a}`).addEventListener("change", () => checkAspects());
  render();
}

export const refCount = () => refs.length;
export const rerenderRefs = render;

/** The aspects ticked; shows the error by the aspects when none is (with references chosen). */
function checkAspects() {
  const on = ASPECTS.filter((a) => $(`match-${a}`).checked);
  showError($("match"), refs.length && on.length === 0 ? t("web_match_none") : "");
  return on;
}

/**
 * Adds the references to `form` (parts, `match`, `reference_weights`), or returns false after showing why
 * next to the control at fault. Re-checks every file: it may have changed on disk since it was chosen.
 */
export async function appendRefs(form) {
  if (refs.length === 0) return true;
  const aspects = checkAspects();
  if (aspects.length === 0) return false;
  for (const r of refs) {
    const problem = await checkFile(r.file, limitsOf());
    if (problem) {
      showError($("ref-file"), problem);
      return false;
    }
  }
  const bad = [...$("refs").querySelectorAll("input[aria-invalid=true]")][0];
  if (bad) {
    bad.focus();
    return false;
  }
  if (aspects.length < ASPECTS.length) form.append("match", aspects.join(","));
  if (refs.length > 1 && new Set(refs.map((r) => r.weight)).size > 1)
    form.append("reference_weights", refs.map((r) => r.weight).join(","));
  for (const r of refs) form.append("reference", r.file, r.file.name);
  return true;
}
