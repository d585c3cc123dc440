// Magic Master web app: upload → live progress over SSE → before/after report, player and download.
// Texts come from the server's RU/EN catalogue (/api/i18n/:lang); no text is hard-coded here.

const $ = (id) => document.getElementById(id);
let texts = {};
let lang =
  localStorage.getItem("mm_lang") ||
  ((navigator.language || "en").toLowerCase().startsWith("ru") ? "ru" : "en");
let events = null;
let currentJob = null;
// The access token of the job on screen (from the submit answer); cancel sends it as X-Job-Token.
let currentToken = null;

const tr = (key, params = {}) =>
  (texts[key] || key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));

async function loadTexts() {
  texts = await (await fetch(`/api/i18n/${lang}`)).json();
  document.documentElement.lang = lang;
  document.title = tr("web_title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = tr(el.dataset.i18n);
}

// Catalogue answers: `{list: [...]}` (styles, presets) or `{formats: [...]}`.
const asList = (body, key) => {
  if (Array.isArray(body?.list)) return body.list;
  return Array.isArray(body?.[key]) ? body[key] : [];
};

function nameOf(item) {
  if (item.names) return item.names[lang];
  if (item.name) return item.name;
  // Output formats carry no names: "WAV 24-bit", "MP3 320 kbps", "WAV 32-bit float".
  const ext = (item.extension || item.id).toUpperCase();
  if (item.lossy)
    return `${item.id === "aac" ? "AAC (M4A)" : item.id === "opus" ? "Opus (OGG)" : ext} ${item.default_bitrate} kbps`;
  return item.bit_depth ? `${ext} ${item.bit_depth}-bit` : `${ext} 32-bit float`;
}

async function fillSelect(select, url, key, { withNone = false, preferred } = {}) {
  const list = asList(await (await fetch(`${url}?lang=${lang}`)).json(), key);
  const previous = select.value;
  select.replaceChildren();
  if (withNone) select.append(new Option(tr("web_preset_none"), ""));
  for (const item of list) {
    const label =
      item.target_lufs !== undefined ? `${nameOf(item)} (${item.target_lufs} LUFS)` : nameOf(item);
    select.append(new Option(label, item.id));
  }
  select.value = previous || preferred || select.options[0]?.value || "";
}

async function loadCatalogues() {
  await Promise.all([
    fillSelect($("style"), "/api/styles", "styles", { preferred: "standard" }),
    fillSelect($("preset"), "/api/presets", "presets", { withNone: true }),
    fillSelect($("format"), "/api/formats", "formats", { preferred: "wav24" }),
  ]);
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

async function errorMessage(res) {
  try {
    const body = await res.json();
    return body?.error?.message || `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

const fmt = (v, digits = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—");

function pick(a, ...keys) {
  for (const k of keys) if (a && typeof a[k] === "number") return a[k];
  return null;
}

function renderReport(before, after) {
  const rows = [
    ["web_loudness", (a) => pick(a, "integrated_lufs", "lufs", "i")],
    ["web_true_peak", (a) => pick(a, "true_peak_dbtp", "true_peak", "tp")],
    ["web_lra", (a) => pick(a, "lra_lu", "lra")],
    ["web_duration", (a) => pick(a, "duration_s", "duration")],
  ];
  const body = $("report").tBodies[0];
  body.replaceChildren();
  for (const [key, get] of rows) {
    const tr_ = body.insertRow();
    tr_.insertCell().textContent = tr(key);
    tr_.insertCell().textContent = fmt(get(before));
    tr_.insertCell().textContent = after ? fmt(get(after)) : "—";
  }
  $("result").hidden = false;
}

function showJob(job) {
  currentJob = job;
  $("job").hidden = false;
  const percent = Math.round((job.progress || 0) * 100);
  $("job-progress").value = job.status === "done" ? 100 : percent;
  $("cancel-btn").hidden = !(job.status === "queued" || job.status === "running");
  const params = {
    id: job.id,
    position: job.position ?? 1,
    stage: job.stage || "",
    percent,
    reason: job.error?.message || job.error?.code || "",
  };
  $("job-status").dataset.status = job.status;
  $("job-status").textContent = tr(`web_${job.status === "expired" ? "done" : job.status}`, params);
  if (job.status === "done") {
    renderReport(job.analysis_before, job.analysis_after);
    if (job.result_url) {
      $("download").href = job.result_url;
      $("download").textContent = tr("web_download", { name: job.result_name || "" });
      $("player").src = job.result_url;
    }
  }
}

function follow(eventsUrl, resultUrl) {
  events?.close();
  events = new EventSource(eventsUrl);
  const onData = (e) => {
    const data = JSON.parse(e.data);
    const job = data.job || data;
    if (resultUrl) job.result_url = resultUrl;
    showJob(job);
    if (["done", "failed", "cancelled", "expired"].includes(job.status)) events.close();
  };
  events.onmessage = onData;
  for (const name of ["state", "progress", "job"]) events.addEventListener(name, onData);
}

// The API answers absolute URLs (MM_PUBLIC_URL); this page talks to the server that served it, which is
// also all the page's CSP allows (connect-src/media-src 'self'), whatever host it was opened under.
const sameOrigin = (url) => {
  const u = new URL(url, location.href);
  return `${u.pathname}${u.search}`;
};

async function submit(kind) {
  showError("");
  const file = $("file").files[0];
  if (!file) return showError(tr("web_choose_file"));
  const form = new FormData();
  form.append("style", $("style").value);
  if ($("preset").value) form.append("preset", $("preset").value);
  form.append("format", $("format").value);
  form.append("file", file, file.name);
  $("result").hidden = true;
  let res;
  try {
    res = await fetch(kind === "measure" ? "/api/measure" : "/api/v2/master", {
      method: "POST",
      body: form,
      headers: { "Accept-Language": lang },
    });
  } catch {
    return showError(tr("web_network_error"));
  }
  if (!res.ok) return showError(await errorMessage(res));
  const body = await res.json();
  currentToken = body.token || null;
  if (body.events_url) follow(sameOrigin(body.events_url), body.result_url && sameOrigin(body.result_url));
  else if (body.analysis || body.integrated_lufs !== undefined) renderReport(body.analysis || body, null);
}

$("master-form").addEventListener("submit", (e) => {
  e.preventDefault();
  submit("master");
});
$("analyze-btn").addEventListener("click", () => submit("measure"));
$("cancel-btn").addEventListener("click", async () => {
  if (!currentJob || !currentToken) return;
  showError("");
  let res;
  try {
    res = await fetch(`/api/jobs/${encodeURIComponent(currentJob.id)}/cancel`, {
      method: "POST",
      headers: { "X-Job-Token": currentToken, "Accept-Language": lang },
    });
  } catch {
    return showError(tr("web_network_error"));
  }
  if (!res.ok) return showError(await errorMessage(res));
  // The SSE stream reports the cancelled state too; showing the answer at once needs no round trip.
  showJob(await res.json());
});
for (const l of ["ru", "en"])
  $(`lang-${l}`).addEventListener("click", async () => {
    lang = l;
    localStorage.setItem("mm_lang", l);
    await loadTexts();
    await loadCatalogues();
    if (currentJob) showJob(currentJob);
  });

await loadTexts();
await loadCatalogues();
document.body.dataset.ready = "1";
