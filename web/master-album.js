// Album mode of the master page: several files picked or dropped at once become one album (POST
// /api/v2/batch with album=true: one shared chain, the tracks' relative loudness kept). Each file is
// checked in the browser before upload (type, size against the caller's limit), the count against the
// album bounds and the tier's batch size; the order (the album's running order) can be changed.
import { $, showError, t } from "/lib/core.js";
import { checkFile, mb } from "/lib/audio-file.js";

export const ALBUM_MIN = 2;
export const ALBUM_MAX = 10;

let tracks = [];
let limitsOf = () => null;

/** The most tracks this caller may send as one album. */
export const albumMax = () => Math.min(ALBUM_MAX, limitsOf()?.batch_max ?? ALBUM_MAX);

export const albumTracks = () => tracks;

function button(id, text, label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "link";
  b.id = id;
  b.textContent = text;
  b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

export function renderAlbum() {
  const list = $("album-list");
  list.replaceChildren();
  const total = tracks.reduce((s, f) => s + f.size, 0);
  tracks.forEach((f, i) => {
    const li = document.createElement("li");
    li.dataset.track = String(i + 1);
    const name = document.createElement("span");
    name.textContent = `${f.name} (${mb(f.size)})`;
    const move = (to) => () => {
      const [x] = tracks.splice(i, 1);
      tracks.splice(to, 0, x);
      renderAlbum();
      $(`album-${to < i ? "up" : "down"}-${to + 1}`)?.focus();
    };
    const tools = document.createElement("span");
    tools.className = "album-tools";
    if (i > 0) tools.append(button(`album-up-${i + 1}`, "↑", t("web_album_up", { name: f.name }), move(i - 1)));
    if (i < tracks.length - 1)
      tools.append(button(`album-down-${i + 1}`, "↓", t("web_album_down", { name: f.name }), move(i + 1)));
    tools.append(
      button(`album-remove-${i + 1}`, t("web_ref_remove"), t("web_ref_remove_named", { name: f.name }), () => {
        tracks.splice(i, 1);
        renderAlbum();
        $("file").focus();
      }),
    );
    li.append(name, " ", tools);
    list.append(li);
  });
  $("file-info").textContent = tracks.length
    ? t("web_album_chosen", { count: tracks.length, size: mb(total), min: ALBUM_MIN, max: albumMax() })
    : "";
}

/** Adds picked or dropped files to the album (each checked; the first problem shown by the picker). */
export async function addAlbumFiles(files) {
  const input = $("file");
  showError(input, "");
  for (const file of files) {
    if (tracks.length >= albumMax()) {
      showError(input, t("web_album_too_many", { max: albumMax() }));
      break;
    }
    const problem = await checkFile(file, limitsOf());
    if (problem) {
      showError(input, problem);
      continue;
    }
    if (!tracks.some((x) => x.name === file.name && x.size === file.size)) tracks.push(file);
  }
  input.value = "";
  renderAlbum();
}

export function initAlbum(getLimits) {
  limitsOf = getLimits;
}

export function clearAlbum() {
  tracks = [];
  renderAlbum();
}

/** "" when the album may be sent, else why (the count, a file, the tier's remaining masters). */
export async function albumProblem() {
  if (tracks.length < ALBUM_MIN) return t("web_album_too_few", { min: ALBUM_MIN, count: tracks.length });
  if (tracks.length > albumMax()) return t("web_album_too_many", { max: albumMax() });
  const left = limitsOf()?.remaining;
  if (typeof left === "number" && tracks.length > left)
    return t("web_album_over_remaining", { count: tracks.length, left });
  for (const f of tracks) {
    const problem = await checkFile(f, limitsOf());
    if (problem) return problem;
  }
  return "";
}
