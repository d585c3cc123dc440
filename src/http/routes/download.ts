// Serves a result file from disk: Content-Disposition with an ASCII fallback and an RFC 5987 filename*,
// single byte ranges (206/416) so players can seek and downloads can resume. Streams; never buffers.

import { contentDisposition } from "../../files";

export { contentDisposition };

/** Parses one `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null = serve whole, "bad" = 416. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | "bad" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "bad";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "bad";
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return "bad";
  return { start, end };
}

export function fileResponse(
  file: { path: string; name: string; mime: string },
  rangeHeader: string | undefined,
  method: string,
): Response {
  const blob = Bun.file(file.path);
  const size = blob.size;
  const headers = new Headers({
    "Content-Type": file.mime,
    "Content-Disposition": contentDisposition(file.name),
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, no-store",
  });
  const range = parseRange(rangeHeader, size);
  if (range === "bad") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const part = range ? blob.slice(range.start, range.end + 1) : blob;
  headers.set("Content-Length", String(range ? range.end - range.start + 1 : size));
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  return new Response(method === "HEAD" ? null : part, { status: range ? 206 : 200, headers });
}
