// DOM helpers of the result page's modules (result.js, result-player.js).

/** An element with properties (`dataset` merged, unknown names set as attributes) and children. */
export const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

/** A job file's URL with the access token of a guest's job. */
export const withToken = (path, token) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);
/** Seconds as m:ss. */
export const clock = (s) => {
  const v = Number.isFinite(s) ? Math.max(0, s) : 0;
  return `${Math.floor(v / 60)}:${String(Math.floor(v % 60)).padStart(2, "0")}`;
};
