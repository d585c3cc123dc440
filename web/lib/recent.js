// A guest's last jobs, remembered in this browser (localStorage) with their access handles (ID.TOKEN), so
// the master page can list them and a closed tab loses nothing. Newest first, at most MAX.
const KEY = "mm_recent_jobs";
const MAX = 10;

/** [{handle, id, name, at}] — newest first; a broken entry is dropped rather than trusted. */
export function recentJobs() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(list)
      ? list.filter((j) => j && typeof j.handle === "string" && typeof j.id === "string")
      : [];
  } catch {
    return [];
  }
}

/** Remembers a job (moving it to the top when known); keeps the name it was first stored with. */
export function rememberJob({ handle, id, name }) {
  const list = recentJobs();
  const old = list.find((j) => j.id === id);
  const entry = {
    handle: handle || old?.handle,
    id,
    name: old?.name || name || "",
    at: old?.at || Date.now(),
  };
  const next = [entry, ...list.filter((j) => j.id !== id)].slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(next));
}

export function forgetJob(id) {
  localStorage.setItem(KEY, JSON.stringify(recentJobs().filter((j) => j.id !== id)));
}

/** The stored handle of job `id` (its token rides in it), if this browser submitted or opened it. */
export const handleOf = (id) => recentJobs().find((j) => j.id === id)?.handle;

// A guest's last albums (POST /api/v2/batch with album=true): the batch id, its token (the album page's
// access) and each track's handle, so the album page can link every track's own result page.
const ALBUMS = "mm_recent_albums";

/** [{batch, token, name, at, tracks: [{id, handle, name}]}] — newest first. */
export function recentAlbums() {
  try {
    const list = JSON.parse(localStorage.getItem(ALBUMS) || "[]");
    return Array.isArray(list)
      ? list.filter((a) => a && typeof a.batch === "string" && typeof a.token === "string")
      : [];
  } catch {
    return [];
  }
}

export function rememberAlbum({ batch, token, name, tracks }) {
  const entry = { batch, token, name: name || "", at: Date.now(), tracks: tracks || [] };
  const next = [entry, ...recentAlbums().filter((a) => a.batch !== batch)].slice(0, MAX);
  localStorage.setItem(ALBUMS, JSON.stringify(next));
}

export function forgetAlbum(batch) {
  localStorage.setItem(ALBUMS, JSON.stringify(recentAlbums().filter((a) => a.batch !== batch)));
}

/** The remembered album `batch`, if this browser submitted it. */
export const albumOf = (batch) => recentAlbums().find((a) => a.batch === batch);
