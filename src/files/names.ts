// User-supplied file names: cleaned for display and for Content-Disposition, never used as paths.

const MAX_NAME_BYTES = 180;
const encoder = new TextEncoder();

/** Cuts `s` to at most `max` UTF-8 bytes without splitting a character. */
function cutBytes(s: string, max: number): string {
  let out = "";
  let used = 0;
  for (const ch of s) {
    const n = encoder.encode(ch).length;
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * A safe display name: the last path segment only, no control characters, NUL or reserved characters,
 * no leading dots, at most 180 UTF-8 bytes (the extension survives the cut). Unicode letters stay.
 *
 * ```ts
 * sanitizeFilename("../../etc/passwd.wav") // "passwd.wav"
 * ```
 */
export function sanitizeFilename(name: string): string {
  const last = name.normalize("NFC").split(/[/\\]/).pop() ?? "";
  const cleaned = last
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (!cleaned) return "audio";
  const ext = /\.[\p{L}\p{N}]{1,8}$/u.exec(cleaned)?.[0] ?? "";
  if (encoder.encode(cleaned).length <= MAX_NAME_BYTES) return cleaned;
  const base = cutBytes(
    cleaned.slice(0, cleaned.length - ext.length),
    MAX_NAME_BYTES - encoder.encode(ext).length,
  );
  return `${base.trim() || "audio"}${ext}`;
}

/** The lower-case extension of a name without the dot ("" when there is none). */
export function extensionOf(name: string): string {
  return /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? "";
}

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
