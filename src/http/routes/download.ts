// Serves a result file from disk: Content-Disposition with an ASCII fallback and an RFC 5987 filename*,
// single byte ranges (206/416) so players can seek and downloads can resume. Streams; never buffers.

import { contentDisposition, type FileStore } from "../../files";

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

const downloadHeaders = (file: { name: string; mime: string }) =>
  new Headers({
    "Content-Type": file.mime,
    "Content-Disposition": contentDisposition(file.name),
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, no-store",
  });

/**
 * A stored file as a download: from the data folder as `fileResponse`; from a bucket either a 302 to a
 * presigned URL (MM_S3_PRESIGN=on: the bucket then serves the bytes and the Range) or streamed through
 * this node with the same single-range rules. Null when the store no longer has the file.
 */
export async function storedFileResponse(
  files: FileStore,
  file: { path: string; name: string; mime: string },
  rangeHeader: string | undefined,
  method: string,
): Promise<Response | null> {
  if (files.kind === "local") {
    // A file the row names but the folder lost (deleted by hand, not synced back) is gone, not a 500.
    const path = files.localPath(file.path);
    return (await files.stat(file.path)) ? fileResponse({ ...file, path }, rangeHeader, method) : null;
  }
  if (files.presignDownloadsS !== null) {
    const url = files.presign(file, files.presignDownloadsS);
    if (url)
      return new Response(null, { status: 302, headers: { Location: url, "Cache-Control": "no-store" } });
  }
  const st = await files.stat(file.path);
  if (!st) return null;
  const headers = downloadHeaders(file);
  const range = parseRange(rangeHeader, st.bytes);
  if (range === "bad") {
    headers.set("Content-Range", `bytes */${st.bytes}`);
    return new Response(null, { status: 416, headers });
  }
  headers.set("Content-Length", String(range ? range.end - range.start + 1 : st.bytes));
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${st.bytes}`);
  const body = method === "HEAD" ? null : files.stream(file.path, range ?? undefined);
  return new Response(body, { status: range ? 206 : 200, headers });
}

export function fileResponse(
  file: { path: string; name: string; mime: string },
  rangeHeader: string | undefined,
  method: string,
): Response {
  const blob = Bun.file(file.path);
  const size = blob.size;
  const headers = downloadHeaders(file);
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
