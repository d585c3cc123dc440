// Small pure helpers shared by the service and the worker: result file names and billing views of a row.

import type { BillableJob } from "../billing";
import type { JobRow } from "./store";

/** "<original base>_master.<ext>" (or _preview); the base is the already-sanitised upload name. */
export function resultNameFor(originalName: string, kind: string, extension: string): string {
  const base = originalName.replace(/\.[^.]{1,8}$/, "") || "audio";
  return `${base}_${kind === "preview" ? "preview" : "master"}.${extension}`;
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
