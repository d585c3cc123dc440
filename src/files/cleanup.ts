// Deleting files we no longer need: a failed request's uploads, and orphans a crash left in uploads/,
// results/ or work/ that no job row references.

import { rmSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { type DataLayout, storedPaths } from "./layout";
import { splitRef } from "./store/location";
import type { FileStore } from "./store/types";

/** Deletes every path (missing files are fine). */
export async function discardFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true }).catch(() => undefined)));
}

/**
 * Removes files under uploads/ and results/ that no row references and that are older than `minAgeMs`
 * (an upload still streaming has no row yet, so young files are left alone). Returns counts.
 */
export function removeOrphanFiles(
  layout: DataLayout,
  referenced: ReadonlySet<string>,
  now: number,
  minAgeMs = 3_600_000,
): { files_removed: number; bytes_freed: number } {
  let files = 0;
  let bytes = 0;
  for (const path of storedPaths(layout)) {
    if (referenced.has(path)) continue;
    try {
      const st = statSync(path);
      if (now - st.mtimeMs < minAgeMs) continue;
      rmSync(path, { recursive: true, force: true });
      files++;
      bytes += st.size;
    } catch {
      // Gone already.
    }
  }
  return { files_removed: files, bytes_freed: bytes };
}

/** `uploads/<name>` of a ref, whichever node's data folder it was written under (null: not a stored file). */
function storedName(ref: string): string | null {
  try {
    const { area, name } = splitRef(ref);
    return `${area}/${name}`;
  } catch {
    return null;
  }
}

/**
 * The bucket's side of the orphan sweep: objects under uploads/ and results/ that no row references and
 * that are older than `minAgeMs` (a crash between an upload and its row, a delete that never went through).
 */
export async function removeOrphanObjects(
  files: FileStore,
  referenced: ReadonlySet<string>,
  now: number,
  minAgeMs = 3_600_000,
): Promise<{ objects_removed: number; object_bytes_freed: number }> {
  const known = new Set<string>();
  for (const ref of referenced) {
    const n = storedName(ref);
    if (n) known.add(n);
  }
  const orphans: string[] = [];
  let bytes = 0;
  for await (const e of files.list()) {
    const n = storedName(e.ref);
    if (!n || known.has(n) || now - e.modifiedAt < minAgeMs) continue;
    orphans.push(e.ref);
    bytes += e.bytes;
  }
  files.remove(orphans);
  await files.settled();
  return { objects_removed: orphans.length, object_bytes_freed: bytes };
}
