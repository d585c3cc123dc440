// The embedded default: files stay in the data folder where uploads and workers put them.
// A row names a stored file by the path it had when written; only its area and name count (as in the
// bucket), so a data folder moved elsewhere, or the files synced down from a bucket when an installation
// goes back to one machine, are found under this node's folder.

import { existsSync, rmSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { type DataLayout, storedPaths } from "../layout";
import { localPathOf } from "./location";
import type { FileStore, StoredEntry, StoredStat } from "./types";

function statOf(path: string): StoredStat | null {
  try {
    const s = statSync(path);
    return s.isFile() ? { bytes: s.size, modifiedAt: s.mtimeMs } : null;
  } catch {
    return null;
  }
}

export function createLocalFileStore(layout: DataLayout): FileStore {
  /** Where a ref lives now: uploads/… and results/… under this layout; anything else as written. */
  const at = (ref: string): string => {
    try {
      return localPathOf(layout, ref);
    } catch {
      return ref;
    }
  };
  return {
    kind: "local",
    where: `data folder ${layout.root}`,
    presignDownloadsS: null,
    localPath: at,
    publish: async () => undefined,
    fetch: async (ref) => (existsSync(at(ref)) ? at(ref) : null),
    evict: async () => undefined,
    stat: async (ref) => statOf(at(ref)),
    async readText(ref) {
      try {
        return await readFile(at(ref), "utf8");
      } catch {
        return null;
      }
    },
    writeText: (ref, text) => writeFile(at(ref), text),
    stream(ref, range) {
      const f = Bun.file(at(ref));
      return (range ? f.slice(range.start, range.end + 1) : f).stream();
    },
    presign: () => null,
    remove(refs) {
      let bytes = 0;
      for (const ref of refs) {
        const s = statOf(at(ref));
        try {
          rmSync(at(ref), { force: true });
          bytes += s?.bytes ?? 0;
        } catch {
          // Already gone, or not ours to delete: nothing freed.
        }
      }
      return bytes;
    },
    settled: async () => undefined,
    async *list(): AsyncIterable<StoredEntry> {
      for (const ref of storedPaths(layout)) {
        const s = statOf(ref);
        if (s) yield { ref, bytes: s.bytes, modifiedAt: s.modifiedAt };
      }
    },
    async check() {
      // The layout exists once the service started; a read-only folder shows on the first upload.
    },
  };
}
