// The result page's A/B block (result.js): the original and the master in two <audio> elements that
// always play together, one muted, so a switch keeps the position with no gap; the louder one is turned
// down by the measured difference.
import { showError, t } from "/lib/core.js";
import { clock, el, withToken } from "/lib/dom.js";

/** The muted player is pulled back into step when it drifts further than this (s). */
const DRIFT_S = 0.04;

/** Gains that make both play at the quieter one's loudness (volume can only turn down). */
export function matchedVolumes(beforeLufs, afterLufs) {
  if (typeof beforeLufs !== "number" || typeof afterLufs !== "number") return { before: 1, after: 1, db: 0 };
  const diff = afterLufs - beforeLufs;
  const down = (db) => 10 ** (-Math.abs(db) / 20);
  return diff > 0 ? { before: 1, after: down(diff), db: diff } : { before: down(diff), after: 1, db: -diff };
}

/** The A/B block: two <audio> elements that always play together; `active` decides which one is heard. */
export function abPlayer(job, token, onTime) {
  const src = {
    before: withToken(`/api/jobs/${job.id}/before`, token),
    after: withToken(`/api/jobs/${job.id}/result`, token),
  };
  const players = {
    before: el("audio", { id: "ab-before", preload: "auto", src: src.before }),
    after: el("audio", { id: "ab-after", preload: "auto", src: src.after }),
  };
  const vols = matchedVolumes(job.analysis_before?.integrated_lufs, job.analysis_after?.integrated_lufs);
  let active = "after";
  let matched = true;
  const play = el("button", { type: "button", id: "ab-play", textContent: t("web_result_play") });
  const toggle = el("button", { type: "button", id: "ab-switch", textContent: t("web_result_ab") });
  toggle.setAttribute("aria-keyshortcuts", "A");
  const seek = el("input", { type: "range", id: "ab-seek", min: "0", max: "0", step: "0.01", value: "0" });
  seek.setAttribute("aria-label", t("web_result_position"));
  const time = el("span", { id: "ab-time", className: "ab-time", textContent: "0:00" });
  const match = el("input", { type: "checkbox", id: "ab-match", checked: true });
  const now = el("p", { id: "ab-now", className: "ab-now", role: "status" });
  now.setAttribute("aria-live", "polite");
  const error = el("p", { id: "ab-play-error", className: "error", role: "alert", hidden: true });

  const heard = () => players[active];
  const silent = () => players[active === "after" ? "before" : "after"];
  const apply = () => {
    players.before.muted = active !== "before";
    players.after.muted = active !== "after";
    players.before.volume = matched ? vols.before : 1;
    players.after.volume = matched ? vols.after : 1;
    now.textContent = t(active === "after" ? "web_result_hearing_after" : "web_result_hearing_before");
    now.dataset.active = active;
    toggle.setAttribute("aria-pressed", String(active === "before"));
  };
  const resync = () => {
    const a = heard();
    const b = silent();
    if (Math.abs(b.currentTime - a.currentTime) > DRIFT_S) b.currentTime = a.currentTime;
  };
  const switchAB = () => {
    resync();
    active = active === "after" ? "before" : "after";
    apply();
  };
  const playPause = async () => {
    showError(play, "");
    if (heard().paused) {
      resync();
      try {
        await Promise.all([players.before.play(), players.after.play()]);
      } catch (err) {
        showError(play, err?.message || String(err));
      }
    } else {
      players.before.pause();
      players.after.pause();
    }
  };
  const seekTo = (s) => {
    players.before.currentTime = s;
    players.after.currentTime = s;
  };
  play.addEventListener("click", playPause);
  toggle.addEventListener("click", switchAB);
  match.addEventListener("change", () => {
    matched = match.checked;
    apply();
  });
  seek.addEventListener("input", () => seekTo(Number(seek.value)));
  for (const p of Object.values(players)) {
    p.addEventListener("play", () => {
      play.textContent = t("web_result_pause");
    });
    p.addEventListener("pause", () => {
      play.textContent = t("web_result_play");
    });
  }
  // A master made before listening copies existed has none: say so rather than "network error".
  players.before.addEventListener("error", () => showError(play, t("web_result_no_before")));
  players.after.addEventListener("error", () => showError(play, t("web_network_error")));
  players.after.addEventListener("loadedmetadata", () => {
    seek.max = String(players.after.duration || job.analysis_after?.duration_s || 0);
  });
  players.after.addEventListener("timeupdate", () => {
    // Only the heard player drives the position; the other follows it.
    if (active !== "after") return;
    seek.value = String(players.after.currentTime);
    time.textContent = clock(players.after.currentTime);
    resync();
    onTime(players.after.currentTime);
  });
  players.before.addEventListener("timeupdate", () => {
    if (active !== "before") return;
    seek.value = String(players.before.currentTime);
    time.textContent = clock(players.before.currentTime);
    resync();
    onTime(players.before.currentTime);
  });
  // Keyboard: A switches, space plays/pauses (unless a control that types or clicks has the focus).
  const onKey = (e) => {
    if (!document.body.contains(toggle)) return document.removeEventListener("keydown", onKey);
    const tag = e.target?.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey)
      return;
    if (e.key === "a" || e.key === "A" || e.key === "ф" || e.key === "Ф") {
      e.preventDefault();
      switchAB();
    } else if (e.key === " " && tag !== "BUTTON" && tag !== "A") {
      e.preventDefault();
      playPause();
    }
  };
  document.addEventListener("keydown", onKey);
  apply();
  const hint = el("p", {
    className: "hint",
    textContent: t("web_result_ab_hint", { db: vols.db.toFixed(1) }),
  });
  const box = el(
    "div",
    { className: "ab" },
    players.before,
    players.after,
    el("div", { className: "ab-controls" }, play, toggle, seek, time),
    el("label", { className: "check" }, match, ` ${t("web_result_matched")}`),
    now,
    error,
    hint,
  );
  return { box, seekTo, duration: () => players.after.duration || job.analysis_after?.duration_s || 0 };
}
