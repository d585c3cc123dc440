// The job page /job/<handle> (handle = ID.TOKEN, or the bare ID for a signed-in owner): the job's state
// first from GET /api/jobs/:handle, then live over SSE (queue position, stage, percent), cancel; a reload
// resumes from the server's state. When done, the result module renders the report.
import { $, api, currentUser, onLangChange, showError, startPage, t } from "/lib/core.js";
import { albumOf, handleOf, rememberJob } from "/lib/recent.js";
import { renderResult } from "/result.js";

const FINAL = ["done", "failed", "cancelled", "expired"];
let handle = "";
let token = "";
let job = null;
let events = null;
let rendered = false;

/** The handle from the URL; a bare ID gets the token this browser remembered for it. */
function handleFromUrl() {
  let raw = "";
  try {
    raw = decodeURIComponent(location.pathname.replace(/^\/job\//, "").replace(/\/$/, ""));
  } catch {
    return "";
  }
  if (!raw.includes(".")) return handleOf(raw) || raw;
  return raw;
}

const stageText = (stage) => (stage ? t(`web_stage_${stage}`) : t("web_stage_waiting"));

function show(next) {
  job = next;
  document.title = `${t("web_job_heading", { id: job.id })} — Magic Master`;
  $("job-title").textContent = t("web_job_heading", { id: job.id });
  $("job-file").textContent = t("web_job_file", { name: job.original_name });
  $("job").hidden = false;
  const percent = Math.round((job.progress || 0) * 100);
  const progress = $("job-progress");
  progress.value = job.status === "done" ? 100 : percent;
  progress.setAttribute("aria-valuetext", `${progress.value}%`);
  const status = $("job-status");
  status.dataset.status = job.status;
  if (job.status === "queued") status.dataset.position = String(job.position ?? "");
  const reason = job.error?.message || job.error?.code || "";
  const key = job.status === "expired" ? "web_status_expired" : `web_${job.status}`;
  status.textContent = t(key, {
    id: job.id,
    position: job.position ?? 1,
    stage: stageText(job.stage),
    percent,
    reason,
  });
  $("cancel-btn").hidden = !(job.status === "queued" || job.status === "running");
  if (job.status === "done" && !rendered) {
    rendered = true;
    const box = $("result");
    box.hidden = false;
    renderResult(box, job, token);
  }
}

function follow() {
  events?.close();
  events = new EventSource(`/api/jobs/${encodeURIComponent(handle)}/events`);
  const onData = (e) => {
    showError(null, "");
    show(JSON.parse(e.data));
    if (FINAL.includes(job.status)) events.close();
  };
  for (const name of ["state", "progress"]) events.addEventListener(name, onData);
  // EventSource reconnects by itself (the server sends the current state first); say so meanwhile.
  events.onerror = () => {
    if (job && !FINAL.includes(job.status)) showError(null, t("web_job_reconnecting"));
  };
}

/** An album track links back to its album: with the token this browser kept, or for the signed-in owner. */
async function linkAlbum() {
  const batch = job?.batch_id;
  if (!batch || job.settings?.album !== true) return;
  const known = albumOf(batch);
  if (!known && !(await currentUser())) return;
  const q = known ? `&token=${encodeURIComponent(known.token)}` : "";
  $("album-back").href = `/album?id=${encodeURIComponent(batch)}${q}`;
  $("album-link").hidden = false;
}

async function load(pending) {
  try {
    show(await pending);
    await linkAlbum();
  } catch (err) {
    // Asked before the texts were loaded: a network failure's message is translated now.
    showError(null, err.code === "network_error" ? t("web_network_error") : err);
    return;
  }
  rememberJob({ handle, id: job.id, name: job.original_name });
  if (!FINAL.includes(job.status)) follow();
}

$("cancel-btn").addEventListener("click", async () => {
  const btn = $("cancel-btn");
  showError(btn, "");
  btn.disabled = true;
  try {
    show(await api(`/api/jobs/${encodeURIComponent(handle)}/cancel`, { method: "POST" }));
    if (FINAL.includes(job.status)) events?.close();
  } catch (err) {
    showError(btn, err);
  } finally {
    btn.disabled = false;
  }
});

onLangChange(async () => {
  if (!job) return;
  // The result renders texts of its own: draw it again in the new language.
  rendered = false;
  $("result").replaceChildren();
  show(await api(`/api/jobs/${encodeURIComponent(handle)}`).catch(() => job));
});

// The job's state does not depend on the page's texts: ask for it while core.js loads them.
handle = handleFromUrl();
token = handle.split(".")[1] || "";
const first = handle ? api(`/api/jobs/${encodeURIComponent(handle)}`) : null;
first?.catch(() => {});

startPage(async () => {
  if (!first) {
    showError(null, t("web_job_bad_link"));
    return;
  }
  await load(first);
});
