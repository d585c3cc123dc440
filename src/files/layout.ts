// The data folder's layout. Every path the service writes is derived here from MM_DATA_DIR.

import { mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export type DataLayout = {
  root: string;
  db: string;
  uploads: string;
  results: string;
  work: string;
  backups: string;
};

/** Resolves the layout under `dataDir` (relative paths are taken from the current directory). */
export function dataLayout(dataDir: string): DataLayout {
  const root = resolve(dataDir);
  return {
    root,
    db: join(root, "magic-master.db"),
    uploads: join(root, "uploads"),
    results: join(root, "results"),
    work: join(root, "work"),
    backups: join(root, "backups"),
  };
}

/** Creates every folder of the layout (idempotent). */
export function ensureLayout(l: DataLayout): void {
  for (const dir of [l.root, l.uploads, l.results, l.work, l.backups]) mkdirSync(dir, { recursive: true });
}

/** Every entry directly under uploads/ and results/, as a path (a folder that cannot be read: none). */
export function storedPaths(l: DataLayout): string[] {
  return [l.uploads, l.results].flatMap((dir) => {
    try {
      return readdirSync(dir).map((name) => join(dir, name));
    } catch {
      return [];
    }
  });
}
