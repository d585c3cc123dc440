// Remembers the last storage fault of each data folder (the database locked by another process past
// busy_timeout, the disk full), so health can say why writes fail even while reads (WAL) still answer.
// Keyed by the folder, not a connection: the worker, the HTTP edge and health each know the folder, and
// the fault is the folder's (its filesystem, its database). A later successful write clears it.

import { resolve } from "node:path";
import { describeError, storageFault } from "../errors";

export type StorageFault = { kind: "full" | "busy"; at: number; message: string };

const faults = new Map<string, StorageFault>();

/** Records `err` against `folder` if it is a storage fault; returns its kind (null for other errors). */
export function noteStorageFault(folder: string, err: unknown, now = Date.now()): "full" | "busy" | null {
  const kind = storageFault(err);
  if (kind) faults.set(resolve(folder), { kind, at: now, message: describeError(err) });
  return kind;
}

/** A write under `folder` went through: its storage works again. */
export function noteStorageOk(folder: string): void {
  if (faults.size) faults.delete(resolve(folder));
}

/** The last fault of `folder` if it happened within `windowMs` and nothing was written since. */
export function recentStorageFault(folder: string, now = Date.now(), windowMs = 60_000): StorageFault | null {
  const f = faults.get(resolve(folder));
  return f && now - f.at <= windowMs ? f : null;
}
