// Small pure helpers shared by the service and the worker: result file names and billing views of a row.

import type { BillableJob } from "../billing";
import type { JobRow } from "./store";

/** "<original base>_master.<ext>" (or _preview); the base is the already-sanitised upload name. */
export function resultNameFor(originalName: string, kind: string, extension: string): string {
  const base = originalName.replace(/\.[^.]{1,8}$/, "") || "audio";
  return `${base}_${kind === "preview" ? "preview" : "master"}.${extension}`;
}

/**
 * Where a master's reference tracks live: beside its upload, `<input>.ref1` … `.ref3` (submit renames them
 * there), so every place that keeps or deletes the input keeps or deletes them too, with no column of their own.
 */
export function referencePathsOf(inputPath: string): string[] {
  return [1, 2, 3].map((i) => `${inputPath}.ref${i}`);
}

/** The input and its possible reference siblings: what deleting "the input" deletes. */
export function inputFilesOf(inputPath: string): string[] {
  return [inputPath, ...referencePathsOf(inputPath)];
}

export function billableOf(row: JobRow): BillableJob {
  return {
    publicId: row.publicId,
    ownerKey: row.ownerKey,
    userId: row.userId,
    kind: row.kind,
    batchId: row.batchId,
  };
}
