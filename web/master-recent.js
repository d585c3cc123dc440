// The master page's lists of this browser's recent jobs (with their state, asked of the API) and albums,
// each entry forgettable (master.js).
import { $, api, t } from "/lib/core.js";
import { forgetAlbum, forgetJob, recentAlbums, recentJobs } from "/lib/recent.js";

export async function renderRecent() {
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

/** This browser's recent albums: a link to each album page, forgettable. */
export function renderRecentAlbums() {
  const list = recentAlbums();
  $("recent-albums").hidden = list.length === 0;
  const ul = $("recent-albums-list");
  ul.replaceChildren();
  for (const a of list) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/album?id=${encodeURIComponent(a.batch)}&token=${encodeURIComponent(a.token)}`;
    link.textContent = t("web_album_recent_item", { name: a.name, count: a.tracks.length });
    const forget = document.createElement("button");
    forget.type = "button";
    forget.className = "link";
    forget.textContent = t("web_recent_forget");
    forget.setAttribute("aria-label", `${t("web_recent_forget")}: ${link.textContent}`);
    forget.addEventListener("click", () => {
      forgetAlbum(a.batch);
      renderRecentAlbums();
    });
    li.append(link, " ", forget);
    ul.append(li);
  }
}

