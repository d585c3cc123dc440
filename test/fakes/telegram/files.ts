// The fake's files in both server modes. Cloud (api.telegram.org, the default): getFile refuses files over
// 20 MB and answers a relative file_path served under /file/; uploads over 50 MB answer 413. Local (a
// self-hosted `telegram-bot-api --local`): getFile copies the file into the server's working directory
// (`<dir>/<token>/<folder>/file_N.ext`, as the real server downloads it there) and answers that absolute
// path, nothing is served over HTTP, and uploads take up to 2000 MB, as multipart or as a `file://` path
// the server reads itself.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ApiFailure,
  DOWNLOAD_LIMIT,
  type FakeCall,
  type FakeMessage,
  type Json,
  LOCAL_LIMIT,
  reply,
  UPLOAD_LIMIT,
} from "./types";
import type { UploadedPart } from "./wire";

export type RegisteredFile = {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  size: number;
  source: string | Uint8Array;
};

type Document = NonNullable<FakeMessage["document"]>;

export class FileRegistry {
  private byId = new Map<string, RegisteredFile>();
  private byPath = new Map<string, RegisteredFile>();
  private counter = 0;

  /** `localDir`: the local server's working directory; undefined = cloud. */
  constructor(
    private readonly token: string,
    private readonly localDir: string | undefined,
  ) {}

  /** Registers bytes or a file on disk as downloadable. */
  register(source: string | Uint8Array, size: number, folder = "documents", name = "file"): RegisteredFile {
    const n = ++this.counter;
    const ext = name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
    const f: RegisteredFile = {
      file_id: `FILE${n}_${Math.random().toString(36).slice(2, 10)}`,
      file_unique_id: `U${n}`,
      file_path: `${folder}/file_${n}${ext}`,
      size,
      source,
    };
    this.byId.set(f.file_id, f);
    this.byPath.set(f.file_path, f);
    return f;
  }

  /** getFile's answer. */
  getFile(p: Json): Json {
    const f = this.byId.get(String(p.file_id ?? ""));
    if (!f) throw new ApiFailure(400, "Bad Request: invalid file_id");
    if (this.localDir === undefined && f.size > DOWNLOAD_LIMIT)
      throw new ApiFailure(400, "Bad Request: file is too big");
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.size,
      file_path: this.localDir === undefined ? f.file_path : this.localCopy(f),
    };
  }

  /** `/file/bot<token>/<path>`, recorded in `calls` as `<download>`. */
  download(token: string, path: string, calls: FakeCall[]): Response {
    if (token !== this.token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const f = this.byPath.get(path);
    // A local server hands files by path only: nothing is served over HTTP.
    const served = f !== undefined && this.localDir === undefined;
    calls.push({ method: "<download>", params: { file_path: path }, at: Date.now(), ok: served });
    if (!f || !served) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    const body = typeof f.source === "string" ? Bun.file(f.source) : f.source;
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  }

  /** The document sendDocument sends: a `file://` path (local mode), an `attach://` part or a file_id. */
  documentOf(p: Json, parts: Map<string, UploadedPart>): Document {
    const ref = String(p.document ?? "");
    const limit = this.localDir === undefined ? UPLOAD_LIMIT : LOCAL_LIMIT;
    if (ref.startsWith("file://") && this.localDir !== undefined) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(fileURLToPath(ref)));
      } catch {
        throw new ApiFailure(400, "Bad Request: file not found");
      }
      if (bytes.length > limit) throw new ApiFailure(400, "Bad Request: file is too big");
      const name = basename(fileURLToPath(ref));
      const f = this.register(bytes, bytes.length, "documents", name);
      return { file_id: f.file_id, file_name: name, mime_type: "application/octet-stream", bytes };
    }
    if (ref.startsWith("attach://")) {
      const part = parts.get(ref.slice("attach://".length));
      if (!part) throw new ApiFailure(400, "Bad Request: file must be non-empty");
      if (part.bytes.length === 0) throw new ApiFailure(400, "Bad Request: file must be non-empty");
      if (part.bytes.length > limit) throw new ApiFailure(413, "Request Entity Too Large");
      const f = this.register(part.bytes, part.bytes.length, "documents", part.filename);
      return { file_id: f.file_id, file_name: part.filename, mime_type: part.contentType, bytes: part.bytes };
    }
    const known = this.byId.get(ref);
    if (!known) throw new ApiFailure(400, "Bad Request: wrong file identifier/HTTP URL specified");
    const bytes = typeof known.source === "string" ? new Uint8Array() : known.source;
    return {
      file_id: known.file_id,
      file_name: basename(known.file_path),
      mime_type: "application/octet-stream",
      bytes,
    };
  }

  /** Where a local server keeps a file it fetched for getFile (copied there on first use). */
  private localCopy(f: RegisteredFile): string {
    const path = join(this.localDir ?? "", this.token, f.file_path);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof f.source === "string") copyFileSync(f.source, path);
    else writeFileSync(path, f.source);
    return path;
  }
}
