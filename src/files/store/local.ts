// The embedded default: files stay in the data folder where uploads and workers put them.

import { existsSync, rmSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { type DataLayout, storedPaths } from "../layout";
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
  return {
    kind: "local",
    where: `data folder ${layout.root}`,
    presignDownloadsS: null,
    localPath: (ref) => ref,
    publish: async () => undefined,
    fetch: async (ref) => (existsSync(ref) ? ref : null),
    evict: async () => undefined,
    stat: async (ref) => statOf(ref),
    async readText(ref) {
      try {
        return await readFile(ref, "utf8");
      } catch {
        return null;
      }
    },
    writeText: (ref, text) => writeFile(ref, text),
    stream(ref, range) {
      const f = Bun.file(ref);
      return (range ? f.slice(range.start, range.end + 1) : f).stream();
    },
    presign: () => null,
    remove(refs) {
      let bytes = 0;
      for (const ref of refs) {
        const s = statOf(ref);
        try {
          rmSync(ref, { force: true });
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
