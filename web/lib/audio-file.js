// What an audio file is and whether the caller may send it, decided in the browser before a byte is
// uploaded: its type by its first bytes (the server's src/files/sniff.ts rules) and name, its size against
// the caller's per-format limit from GET /api/limits. Shared by the track, reference and album pickers.
import { t } from "/lib/core.js";

/** "12.3 MB" in the page language. */
export const mb = (bytes) => t("web_size_mb", { n: (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 1) });

const EXT_CLASS = {
  wav: "wav",
  wave: "wav",
  aif: "wav",
  aiff: "wav",
  aifc: "wav",
  flac: "flac",
  mp3: "lossy",
  m4a: "lossy",
  mp4: "lossy",
  aac: "lossy",
  ogg: "lossy",
  oga: "lossy",
  opus: "lossy",
};

/** The limit class of the first 12 bytes, or null. */
function sniffClass(b) {
  if (b.length < 12) return null;
  const at = (i, s) => [...s].every((ch, k) => b[i + k] === ch.charCodeAt(0));
  if ((at(0, "RIFF") || at(0, "RF64") || at(0, "BW64")) && at(8, "WAVE")) return "wav";
  if (at(0, "FORM") && (at(8, "AIFF") || at(8, "AIFC"))) return "wav";
  if (at(0, "fLaC")) return "flac";
  if (at(0, "OggS") || at(4, "ftyp") || at(0, "ID3")) return "lossy";
  if (b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return "lossy";
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x18) !== 0x08 && (b[1] & 0x06) !== 0)
    return "lossy";
  return null;
}

/**
 * "" when `file` may be sent, else the reason in the page language. Reads 12 bytes, never the file.
 * `limits` is GET /api/limits' answer (null: not known, only the type is checked).
 */
export async function checkFile(file, limits) {
  const ext = (file.name.split(".").pop() || "").toLowerCase();
  if (file.size === 0) return t("web_file_empty", { name: file.name });
  const sniffed = sniffClass(new Uint8Array(await file.slice(0, 12).arrayBuffer()));
  if (!sniffed || !(ext in EXT_CLASS)) return t("web_file_type_error", { name: file.name });
  const limitMb = limits?.upload_formats_mb?.[sniffed];
  if (limitMb && file.size > limitMb * 1048576)
    return t("web_file_too_large", { name: file.name, size: mb(file.size), limit: limitMb });
  return "";
}

/** Wires a drop zone: files dropped on `zone` go to `onFiles(list)` like the ones picked in `input`. */
export function wireDrop(zone, input, onFiles) {
  input.addEventListener("change", () => onFiles([...input.files]));
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const files = [...(e.dataTransfer?.files || [])];
    if (files.length) onFiles(files);
  });
}
