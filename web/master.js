// The master page: pick or drop a file (type and size checked here against GET /api/limits before a byte
// is sent) — or several, as an album (master-album.js) —, optional reference tracks to match
// (master-refs.js), style with its description, platform preset or custom target/ceiling, format,
// intensity, dry/wet mix, advanced chain settings (from /api/v2/chain/default; only changed values are
// sent), upload with progress in bytes (XMLHttpRequest: fetch has no upload progress), then the job's own
// page (or the album's). Lists this browser's recent jobs and albums (master-recent.js); the chain
// settings are drawn and edited in master-chain.js.
import { checkFile, mb, wireDrop } from "/lib/audio-file.js";
import { $, ApiError, api, lang, onLangChange, showError, startPage, t } from "/lib/core.js";
import { rememberAlbum, rememberJob } from "/lib/recent.js";
import {
  ALBUM_MIN,
  addAlbumFiles,
  albumMax,
  albumProblem,
  albumTracks,
  clearAlbum,
  initAlbum,
  renderAlbum,
} from "/master-album.js";
import { chainEdits, fetchChain, loadChain, renderModules, resetChain } from "/master-chain.js";
import { renderRecent, renderRecentAlbums } from "/master-recent.js";
import { appendRefs, initRefs, rerenderRefs } from "/master-refs.js";

let limits = null;
let chosen = null;
let catalogue = { styles: [], presets: [], formats: [] };

const albumMode = () => $("mode-album").checked;

// --- the file (one track), or the album's files -------------------------------------------------------
async function choose(files) {
  // Several files dropped on the one-track zone: the musician means an album.
  if (!albumMode() && files.length > 1 && albumMax() >= ALBUM_MIN) {
    $("mode-album").checked = true;
    applyMode();
  }
  if (albumMode()) return addAlbumFiles(files);
  const file = files[0];
  const input = $("file");
  chosen = null;
  $("file-info").textContent = "";
  showError(input, "");
  if (!file) return;
  const problem = await checkFile(file, limits);
  if (problem) return showError(input, problem);
  chosen = file;
  $("file-info").textContent = t("web_file_chosen", { name: file.name, size: mb(file.size) });
}

/** Switches between one track (with references) and an album (several files, no references). */
function applyMode() {
  const album = albumMode();
  const input = $("file");
  input.multiple = album;
  showError(input, "");
  showError($("mode"), "");
  $("album-list").hidden = !album;
  $("reference").hidden = album;
  $("drop-hint").textContent = t(album ? "web_album_drop_hint" : "web_drop_hint");
  $("mode-hint").textContent = album ? t("web_album_hint", { min: ALBUM_MIN, max: albumMax() }) : "";
  $("master-btn").textContent = t(album ? "web_album_master" : "web_master");
  if (album) {
    chosen = null;
    renderAlbum();
  } else {
    clearAlbum();
    $("file-info").textContent = "";
  }
  if (album && albumMax() < ALBUM_MIN) {
    showError($("mode"), t("web_album_not_in_tier", { max: albumMax() }));
    $("mode-single").checked = true;
    applyMode();
  }
}

// --- intensity and mix --------------------------------------------------------------------------------
const intensity = () => document.querySelector("input[name=intensity]:checked")?.value || "medium";
function describeIntensity() {
  $("intensity-desc").textContent = t(`web_intensity_${intensity()}_desc`);
}
function showMix() {
  $("mix-value").textContent = `${$("mix").value} %`;
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
  if (/intensity/.test(text)) return $("intensity");
  if (/\bmix\b/.test(text) && !/parallel/.test(text)) return $("mix");
  if (/match aspect|match needs/.test(text)) return $("match");
  if (/^(reference_|too_many_references)/.test(code) || /reference_weights|weights/.test(text))
    return $("ref-file");
  if (/^(album_|too_many_files)/.test(code)) return $("file");
  if (/module|settings/.test(code) && Object.keys(chainEdits()).length) return $("modules");
  if (code === "tier_forbids_style") return $("style");
  if (code === "tier_forbids_format") return $("format");
  // What a file itself caused (its type, size, content); limits, tokens, rate and queue go by the button.
  if (/^(audio_|file_|upload_too_large|unsupported_format|empty_file|no_file|no_audio|sample_rate|too_many_channels)/.test(code))
    return $("file");
  return $("master-btn");
}

function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
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

/** The settings every mode sends (style, target, format, intensity, mix, chain edits), or null. */
function settingsForm() {
  const form = new FormData();
  form.append("style", $("style").value);
  if ($("target-custom").checked) {
    const target = numberIn("target-lufs");
    const ceiling = numberIn("ceiling-dbtp");
    if (target === null || ceiling === null) return null;
    form.append("target_lufs", String(target));
    form.append("ceiling_dbtp", String(ceiling));
  } else form.append("preset", $("preset").value);
  form.append("format", $("format").value);
  form.append("intensity", intensity());
  const mix = numberIn("mix");
  if (mix === null) return null;
  if (mix !== 100) form.append("mix", String(mix));
  if ($("style").value !== "auto" && Object.keys(chainEdits()).length)
    form.append("modules", JSON.stringify(chainEdits()));
  return form;
}

/** The batch token of an album: it rides in the 202's album_url. */
const tokenOf = (url) => new URL(url, location.href).searchParams.get("token") || "";

async function submit(e) {
  e.preventDefault();
  const btn = $("master-btn");
  const ref = $("ref-file");
  for (const c of [$("file"), btn, $("modules"), $("style"), $("format"), $("mix"), $("intensity"), $("mode")])
    showError(c, "");
  const album = albumMode();
  if (album) {
    // Files may have changed on disk since they were chosen; the limits may be another tier's by now.
    const problem = await albumProblem();
    if (problem) return showError($("file"), problem);
  } else {
    if (!chosen) return showError($("file"), t("web_choose_file"));
    const problem = await checkFile(chosen, limits);
    if (problem) return showError($("file"), problem);
  }
  const form = settingsForm();
  if (!form) return;
  const files = album ? albumTracks() : [chosen];
  if (album) {
    form.append("album", "true");
    for (const f of files) form.append("files", f, f.name);
  } else {
    form.append("file", chosen, chosen.name);
    showError(ref, "");
    if (!(await appendRefs(form))) return;
  }
  const size = form.getAll("file").concat(form.getAll("files"), form.getAll("reference"));
  const bytes = size.reduce((s, f) => s + (f.size || 0), 0);

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
  onProgress(0, bytes || 1);
  try {
    const body = await upload(album ? "/api/v2/batch" : "/api/v2/master", form, onProgress);
    if (album) {
      const token = tokenOf(body.album_url);
      rememberAlbum({
        batch: body.batch_id,
        token,
        name: files[0]?.name || "",
        tracks: body.jobs.map((j) => ({ id: j.id, handle: j.handle, name: j.filename })),
      });
      location.assign(`/album?id=${encodeURIComponent(body.batch_id)}&token=${encodeURIComponent(token)}`);
      return;
    }
    rememberJob({ handle: body.handle, id: body.id, name: chosen.name });
    location.assign(`/job/${encodeURIComponent(body.handle)}`);
  } catch (err) {
    $("upload").hidden = true;
    const control = controlFor(err);
    // A reference the server could not use names its index: show it by the references, not the track.
    const refNamed = /^audio_|^file_/.test(err?.code || "") && form.getAll("reference").some((f) => err.message?.includes(f.name));
    showError(refNamed ? ref : control, err);
    btn.disabled = false;
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
  const getLimits = () => limits;
  initAlbum(getLimits);
  initRefs(getLimits);
  wireDrop($("drop"), $("file"), choose);
  for (const r of document.querySelectorAll("input[name=mode]")) r.addEventListener("change", applyMode);
  for (const r of document.querySelectorAll("input[name=intensity]"))
    r.addEventListener("change", describeIntensity);
  $("mix").addEventListener("input", showMix);
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
  $("advanced-reset").addEventListener("click", resetChain);
  $("master-form").addEventListener("submit", submit);
  // A reload keeps the radio buttons' states: draw what they say.
  applyMode();
  describeIntensity();
  showMix();
  await loadCatalogues(early.catalogues);
  await loadChain(early.chain);
  renderRecentAlbums();
  await renderRecent();
  onLangChange(async () => {
    await loadCatalogues();
    renderModules();
    rerenderRefs();
    applyMode();
    describeIntensity();
    renderRecentAlbums();
    await renderRecent();
    if (chosen && !albumMode())
      $("file-info").textContent = t("web_file_chosen", { name: chosen.name, size: mb(chosen.size) });
  });
});
