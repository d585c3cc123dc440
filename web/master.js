// The master page: pick or drop a file (type and size checked here against GET /api/limits before a byte
// is sent), style with its description, platform preset or custom target/ceiling, format, advanced chain
// settings (from /api/v2/chain/default; only changed values are sent), upload with progress in bytes
// (XMLHttpRequest: fetch has no upload progress), then the job's own page. Lists this browser's recent jobs.
import { $, ApiError, api, lang, onLangChange, showError, startPage, t } from "/lib/core.js";
import { forgetJob, recentJobs, rememberJob } from "/lib/recent.js";

let limits = null;
let chosen = null;
let chain = null;
/** The user's edits of the chain: {module: {param: value}}; sent as `modules`. */
let overrides = {};
let catalogue = { styles: [], presets: [], formats: [] };

const mb = (bytes) => t("web_size_mb", { n: (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 1) });

// --- the file: what it is (by its first bytes, as the server sniffs it) and whether it fits -------------
const EXT_CLASS = {
  wav: "wav",
  wave: "wav",
  aif: "wav",
  aiff: "wav",
  aifc: "wav",
  flac: "flac",
  mp3: "lossy",
  m4a: "lossy",
  mp4: "lossy",
  aac: "lossy",
  ogg: "lossy",
  oga: "lossy",
  opus: "lossy",
};

/** The limit class of the first 12 bytes (the server's src/files/sniff.ts rules), or null. */
function sniffClass(b) {
  if (b.length < 12) return null;
  const at = (i, s) => [...s].every((ch, k) => b[i + k] === ch.charCodeAt(0));
  if ((at(0, "RIFF") || at(0, "RF64") || at(0, "BW64")) && at(8, "WAVE")) return "wav";
  if (at(0, "FORM") && (at(8, "AIFF") || at(8, "AIFC"))) return "wav";
  if (at(0, "fLaC")) return "flac";
  if (at(0, "OggS") || at(4, "ftyp") || at(0, "ID3")) return "lossy";
  if (b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return "lossy";
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x18) !== 0x08 && (b[1] & 0x06) !== 0)
    return "lossy";
  return null;
}

/** "" when `file` may be sent, else the reason in the page language. Reads 12 bytes, never the file. */
async function checkFile(file) {
  const ext = (file.name.split(".").pop() || "").toLowerCase();
  if (file.size === 0) return t("web_file_empty", { name: file.name });
  const sniffed = sniffClass(new Uint8Array(await file.slice(0, 12).arrayBuffer()));
  if (!sniffed || !(ext in EXT_CLASS)) return t("web_file_type_error", { name: file.name });
  const limitMb = limits?.upload_formats_mb?.[sniffed];
  if (limitMb && file.size > limitMb * 1048576)
    return t("web_file_too_large", { name: file.name, size: mb(file.size), limit: limitMb });
  return "";
}

async function choose(file) {
  const input = $("file");
  chosen = null;
  $("file-info").textContent = "";
  showError(input, "");
  if (!file) return;
  const problem = await checkFile(file);
  if (problem) return showError(input, problem);
  chosen = file;
  $("file-info").textContent = t("web_file_chosen", { name: file.name, size: mb(file.size) });
}

function wireDrop() {
  const drop = $("drop");
  $("file").addEventListener("change", () => choose($("file").files[0]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (file) choose(file);
  });
}

// --- catalogues ---------------------------------------------------------------------------------------
const allowed = (list, id) => !list || list.includes(id);

function formatName(f) {
  const ext = f.extension.toUpperCase();
  if (f.lossy)
    return `${f.id === "aac" ? "AAC (M4A)" : f.id === "opus" ? "Opus (OGG)" : ext} ${f.default_bitrate} kbps`;
  return f.bit_depth ? `${ext} ${f.bit_depth}-bit` : `${ext} 32-bit float`;
}

function fill(select, items, preferred) {
  const previous = select.value;
  select.replaceChildren();
  for (const it of items) {
    const o = new Option(it.ok ? it.label : t("web_not_in_tier", { name: it.label }), it.id);
    o.disabled = !it.ok;
    select.append(o);
  }
  const usable = [...select.options].filter((o) => !o.disabled).map((o) => o.value);
  select.value = usable.includes(previous)
    ? previous
    : usable.includes(preferred)
      ? preferred
      : usable[0] || "";
}

const fetchCatalogues = () => Promise.all([api("/api/styles"), api("/api/presets"), api("/api/formats")]);

async function loadCatalogues(pending = fetchCatalogues()) {
  const [styles, presets, formats] = await pending;
  catalogue = { styles: styles.list, presets: presets.list, formats: formats.formats };
  renderCatalogues();
}

function renderCatalogues() {
  const s = limits?.styles;
  fill(
    $("style"),
    [
      { id: "auto", label: t("web_style_auto"), ok: allowed(s, "auto") },
      ...catalogue.styles.map((x) => ({ id: x.id, label: x.name, ok: allowed(s, x.id) })),
    ],
    "standard",
  );
  fill(
    $("preset"),
    catalogue.presets.map((p) => ({ id: p.id, label: `${p.name} (${p.target_lufs} LUFS)`, ok: true })),
    "spotify",
  );
  fill(
    $("format"),
    catalogue.formats.map((f) => ({ id: f.id, label: formatName(f), ok: allowed(limits?.formats, f.id) })),
    "wav24",
  );
  describeStyle();
  const f = limits?.upload_formats_mb;
  $("file-formats").textContent = f ? t("web_file_formats", f) : "";
}

function describeStyle() {
  const id = $("style").value;
  const style = catalogue.styles.find((x) => x.id === id);
  $("style-desc").textContent = id === "auto" ? t("web_style_auto_description") : style?.description || "";
}

// --- advanced chain settings --------------------------------------------------------------------------
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

const fetchChain = (style) => api(`/api/v2/chain/default?style=${encodeURIComponent(style)}`);

async function loadChain(pending) {
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

function renderModules() {
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

// --- submit -------------------------------------------------------------------------------------------
/** The custom number in `id`, or null after showing its range error next to it. */
function numberIn(id) {
  const input = $(id);
  const n = Number(input.value);
  const min = Number(input.min);
  const max = Number(input.max);
  if (input.value === "" || !Number.isFinite(n) || n < min || n > max) {
    showError(input, t("web_number_range", { min, max }));
    return null;
  }
  showError(input, "");
  return n;
}

/** Which control an API refusal belongs next to. */
function controlFor(err) {
  const code = err?.code || "";
  const text = `${code} ${JSON.stringify(err?.details || {})} ${err?.message || ""}`;
  if (/target_lufs/.test(text)) return $("target-lufs");
  if (/ceiling_dbtp/.test(text)) return $("ceiling-dbtp");
  if (/module|settings/.test(code) && Object.keys(overrides).length) return $("modules");
  if (code === "tier_forbids_style") return $("style");
  if (code === "tier_forbids_format") return $("format");
  // What the file itself caused (its type, size, content); limits, tokens, rate and queue go by the button.
  if (/^(audio_|file_|upload_too_large|unsupported_format|empty_file|no_file|no_audio|sample_rate|too_many_channels)/.test(code))
    return $("file");
  return $("master-btn");
}

function upload(form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v2/master");
    xhr.setRequestHeader("Accept-Language", lang);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onload = () => {
      const body = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const e = body?.error;
      reject(
        new ApiError(xhr.status, e?.code || "http_error", e?.message || `HTTP ${xhr.status}`, e?.details),
      );
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", t("web_network_error")));
    xhr.send(form);
  });
}

async function submit(e) {
  e.preventDefault();
  const btn = $("master-btn");
  for (const c of [$("file"), btn, $("modules"), $("style"), $("format")]) showError(c, "");
  if (!chosen) return showError($("file"), t("web_choose_file"));
  // The file may have changed on disk since it was chosen; the limits may have been read for another tier.
  const problem = await checkFile(chosen);
  if (problem) return showError($("file"), problem);
  const form = new FormData();
  form.append("style", $("style").value);
  if ($("target-custom").checked) {
    const target = numberIn("target-lufs");
    const ceiling = numberIn("ceiling-dbtp");
    if (target === null || ceiling === null) return;
    form.append("target_lufs", String(target));
    form.append("ceiling_dbtp", String(ceiling));
  } else form.append("preset", $("preset").value);
  form.append("format", $("format").value);
  if ($("style").value !== "auto" && Object.keys(overrides).length)
    form.append("modules", JSON.stringify(overrides));
  form.append("file", chosen, chosen.name);

  btn.disabled = true;
  $("upload").hidden = false;
  const progress = $("upload-progress");
  const text = $("upload-bytes");
  const onProgress = (done, total) => {
    const percent = Math.floor((done / total) * 100);
    progress.value = percent;
    progress.dataset.bytes = String(done);
    text.textContent =
      done >= total
        ? t("web_uploaded", { total: mb(total) })
        : t("web_uploading", { done: mb(done), total: mb(total), percent });
  };
  onProgress(0, chosen.size || 1);
  try {
    const body = await upload(form, onProgress);
    rememberJob({ handle: body.handle, id: body.id, name: chosen.name });
    location.assign(`/job/${encodeURIComponent(body.handle)}`);
  } catch (err) {
    $("upload").hidden = true;
    showError(controlFor(err), err);
    btn.disabled = false;
  }
}

// --- this browser's recent jobs ----------------------------------------------------------------------
async function renderRecent() {
  const list = recentJobs();
  $("recent").hidden = list.length === 0;
  const ul = $("recent-list");
  ul.replaceChildren();
  for (const j of list) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `/job/${encodeURIComponent(j.handle)}`;
    a.textContent = `#${j.id} ${j.name}`;
    const state = document.createElement("span");
    state.className = "state";
    const forget = document.createElement("button");
    forget.type = "button";
    forget.className = "link";
    forget.textContent = t("web_recent_forget");
    forget.setAttribute("aria-label", `${t("web_recent_forget")} #${j.id}`);
    forget.addEventListener("click", () => {
      forgetJob(j.id);
      renderRecent();
    });
    li.append(a, " ", state, " ", forget);
    ul.append(li);
    api(`/api/jobs/${encodeURIComponent(j.handle)}`)
      .then((job) => {
        state.dataset.status = job.status;
        state.textContent = t(`web_status_${job.status}`);
      })
      .catch(() => {
        state.dataset.status = "gone";
        state.textContent = t("web_recent_gone");
      });
  }
}

// The page's data does not depend on its texts: ask for it while core.js loads texts and the header.
const early = {
  limits: api("/api/limits").catch(() => null),
  catalogues: fetchCatalogues(),
  chain: fetchChain("standard"),
};
early.catalogues.catch(() => {});
early.chain.catch(() => {});

startPage(async () => {
  limits = await early.limits;
  wireDrop();
  $("style").addEventListener("change", async () => {
    describeStyle();
    await loadChain();
  });
  for (const r of document.querySelectorAll("input[name=target_mode]"))
    r.addEventListener("change", () => {
      const custom = $("target-custom").checked;
      $("custom-box").hidden = !custom;
      $("platform-box").hidden = custom;
    });
  $("advanced-reset").addEventListener("click", () => {
    overrides = {};
    renderModules();
  });
  $("master-form").addEventListener("submit", submit);
  await loadCatalogues(early.catalogues);
  await loadChain(early.chain);
  await renderRecent();
  onLangChange(async () => {
    await loadCatalogues();
    renderModules();
    await renderRecent();
    if (chosen)
      $("file-info").textContent = t("web_file_chosen", { name: chosen.name, size: mb(chosen.size) });
  });
});
