// MM_STORAGE_URL parsing and the ref → object key mapping shared by the S3 store and its tests.

import { basename, dirname, join } from "node:path";
import type { DataLayout } from "../layout";

export type BucketLocation = { bucket: string; prefix: string };

/** Folders of the data layout that live in the store (work/ and backups/ stay local). */
export const STORED_AREAS = ["uploads", "results"] as const;
export type StoredArea = (typeof STORED_AREAS)[number];

const URL_RE = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** `s3://bucket/some/prefix` → bucket and "some/prefix/" (empty prefix: the bucket's root); null if malformed. */
export function parseStorageUrl(url: string): BucketLocation | null {
  const m = URL_RE.exec(url.trim());
  if (!m) return null;
  const prefix = (m[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (prefix.split("/").some((s) => s === "." || s === "..")) return null;
  return { bucket: m[1] as string, prefix: prefix ? `${prefix}/` : "" };
}

/** The area and file name of a ref: its last two path segments. */
export function splitRef(ref: string): { area: StoredArea; name: string } {
  const area = basename(dirname(ref));
  const name = basename(ref);
  if (!(STORED_AREAS as readonly string[]).includes(area) || !name)
    throw new Error(`not a stored file (expected …/uploads/<name> or …/results/<name>): ${ref}`);
  return { area: area as StoredArea, name };
}

export const keyOfRef = (loc: BucketLocation, ref: string): string => {
  const { area, name } = splitRef(ref);
  return `${loc.prefix}${area}/${name}`;
};

/** This node's working-copy path for a ref (any node's data folder maps to the same object). */
export const localPathOf = (layout: DataLayout, ref: string): string => {
  const { area, name } = splitRef(ref);
  return join(layout[area], name);
};
