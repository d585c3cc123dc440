// Deleting files we no longer need: a failed request's uploads, and orphans a crash left in uploads/,
// results/ or work/ that no job row references.

import { readdirSync, rmSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { DataLayout } from "./layout";

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
  for (const dir of [layout.uploads, layout.results]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
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
  }
  return { files_removed: files, bytes_freed: bytes };
}
