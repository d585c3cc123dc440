// Where uploads, results and their siblings live: the data folder (default) or an S3-compatible bucket.
// Code everywhere names a file by its *ref*: the path it has (or would have) under this node's data folder,
// `<data>/uploads/<name>` or `<data>/results/<name>`, as rows store it today. A bucket keeps the same file
// under `<prefix>/<uploads|results>/<name>`, so a ref written by one node means the same object on every
// other node, whatever its MM_DATA_DIR. Local files are the working copies ffmpeg needs.

export type FileStoreKind = "local" | "s3";

export type StoredStat = { bytes: number; modifiedAt: number };

/** One object (or file) the store holds, for the orphan sweep. */
export type StoredEntry = { ref: string; bytes: number; modifiedAt: number };

/** What serving a file needs: the ref, the name the user downloads it as, its type. */
export type ServeTarget = { path: string; name: string; mime: string };

export interface FileStore {
  readonly kind: FileStoreKind;
  /** "data folder /srv/mm/data" or "s3://bucket/prefix at https://…" (health, logs). */
  readonly where: string;
  /** Downloads answer 302 to a presigned URL valid this long (MM_S3_PRESIGN=on), or null: streamed. */
  readonly presignDownloadsS: number | null;
  /** This node's working-copy path of `ref` (the ref itself for the local store). */
  localPath(ref: string): string;
  /**
   * Hands finished local files to the store: S3 uploads each existing one (multipart, bounded memory)
   * and deletes the working copy; local keeps them where they are. Missing paths are skipped.
   */
  publish(refs: readonly string[]): Promise<void>;
  /** Makes `ref` a local file (S3 downloads it); its local path, or null when the store has no such file. */
  fetch(ref: string): Promise<string | null>;
  /** Deletes this node's working copies (S3 only: local files are the stored ones). */
  evict(refs: readonly string[]): Promise<void>;
  stat(ref: string): Promise<StoredStat | null>;
  readText(ref: string): Promise<string | null>;
  writeText(ref: string, text: string): Promise<void>;
  /** The bytes of `ref` from `start` to `end` inclusive (whole file without a range), streamed. */
  stream(ref: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;
  /** A time-limited GET URL with the download name and type baked in, or null (local store). */
  presign(target: ServeTarget, expiresInS: number): string | null;
  /**
   * Deletes `refs` (and their working copies). Local: done when it returns, bytes freed counted. S3: the
   * deletes run in the background (retried; `settled()` waits for them) and the count is of local copies.
   */
  remove(refs: readonly string[]): number;
  /** Resolves when every background delete has finished (shutdown, tests). */
  settled(): Promise<void>;
  /** Every stored file under uploads/ and results/, for the orphan sweep. */
  list(): AsyncIterable<StoredEntry>;
  /** Throws when the store cannot be reached or written (start-up check, smoke-check). */
  check(): Promise<void>;
}
