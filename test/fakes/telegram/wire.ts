// Internal to the fake Bot API: decodes request bodies in the three encodings the real API accepts
// (JSON, application/x-www-form-urlencoded, multipart/form-data) into one params object plus files.

/** A file part of a multipart body, addressed by its part name (grammY uses `attach://<name>`). */
export type UploadedPart = { name: string; filename: string; bytes: Uint8Array; contentType: string };

export type DecodedBody = { params: Record<string, unknown>; files: Map<string, UploadedPart> };

/** Form and query values are strings on the wire; objects (reply_markup) and numbers arrive JSON-encoded. */
function decodeFormValue(v: string): unknown {
  const s = v.trim();
  if (s.startsWith("{") || s.startsWith("[") || /^-?\d+(\.\d+)?$/.test(s) || s === "true" || s === "false") {
    try {
      return JSON.parse(s);
    } catch {
      return v;
    }
  }
  return v;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Parses multipart/form-data by hand: grammY writes `filename=` unquoted and lower-case headers,
 * which not every parser accepts, and the fake must take what the real server takes.
 */
function parseMultipart(body: Uint8Array, boundary: string): DecodedBody {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const delim = enc.encode(`--${boundary}`);
  const params: Record<string, unknown> = {};
  const files = new Map<string, UploadedPart>();
  let pos = indexOf(body, delim, 0);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body[start] === 45 && body[start + 1] === 45) break; // "--": closing delimiter
    if (body[start] === 13 && body[start + 1] === 10) start += 2;
    const next = indexOf(body, delim, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 2] === 13 && body[end - 1] === 10) end -= 2;
    const part = body.subarray(start, end);
    const headEnd = indexOf(part, enc.encode("\r\n\r\n"), 0);
    if (headEnd >= 0) {
      const head = dec.decode(part.subarray(0, headEnd));
      const content = part.subarray(headEnd + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? /name=([^;\r\n]*)/i.exec(head)?.[1] ?? "";
      const fileMatch = /filename="([^"]*)"/i.exec(head) ?? /filename=([^;\r\n]*)/i.exec(head);
      const type = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? "application/octet-stream";
      if (fileMatch) {
        files.set(name, {
          name,
          filename: fileMatch[1] ?? "",
          bytes: new Uint8Array(content),
          contentType: type,
        });
      } else {
        params[name] = decodeFormValue(dec.decode(content));
      }
    }
    pos = next;
  }
  return { params, files };
}

/** Decodes query string and body of a Bot API request. Unknown content types yield the query alone. */
export async function decodeRequest(req: Request): Promise<DecodedBody> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of new URL(req.url).searchParams) params[k] = decodeFormValue(v);
  if (req.method !== "POST") return { params, files: new Map() };
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await req.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === "object") Object.assign(params, parsed);
    return { params, files: new Map() };
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(await req.text())) params[k] = decodeFormValue(v);
    return { params, files: new Map() };
  }
  const boundary = /boundary=("?)([^";]+)\1/i.exec(type)?.[2];
  if (type.includes("multipart/form-data") && boundary) {
    const decoded = parseMultipart(new Uint8Array(await req.arrayBuffer()), boundary);
    return { params: { ...params, ...decoded.params }, files: decoded.files };
  }
  return { params, files: new Map() };
}
