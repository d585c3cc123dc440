// Chooses the file store from config: the data folder when MM_STORAGE_URL is empty, else the bucket.

import type { Config } from "../../config";
import { ConfigError } from "../../config";
import type { Logger } from "../../log";
import type { DataLayout } from "../layout";
import { createLocalFileStore } from "./local";
import { parseStorageUrl } from "./location";
import { createS3FileStore } from "./s3";
import type { FileStore } from "./types";

export { createLocalFileStore } from "./local";
export { type BucketLocation, keyOfRef, localPathOf, parseStorageUrl } from "./location";
export { createS3FileStore, type S3StoreOptions } from "./s3";
export type { FileStore, FileStoreKind, ServeTarget, StoredEntry, StoredStat } from "./types";

type StoreConfig = Pick<
  Config,
  | "MM_STORAGE_URL"
  | "MM_S3_ENDPOINT"
  | "MM_S3_REGION"
  | "MM_S3_ACCESS_KEY_ID"
  | "MM_S3_SECRET_ACCESS_KEY"
  | "MM_S3_PRESIGN"
  | "MM_S3_PRESIGN_TTL_S"
>;

/** Throws ConfigError naming the variable when the bucket is configured without what it needs. */
export function createFileStore(config: StoreConfig, layout: DataLayout, log: Logger): FileStore {
  if (!config.MM_STORAGE_URL) return createLocalFileStore(layout);
  const location = parseStorageUrl(config.MM_STORAGE_URL);
  if (!location)
    throw new ConfigError([{ name: "MM_STORAGE_URL", error: "must be s3://bucket or s3://bucket/prefix" }]);
  const missing = (["MM_S3_ACCESS_KEY_ID", "MM_S3_SECRET_ACCESS_KEY"] as const).filter((n) => !config[n]);
  if (missing.length)
    throw new ConfigError(
      missing.map((name) => ({ name, error: "required when MM_STORAGE_URL names a bucket" })),
    );
  return createS3FileStore(layout, log, {
    location,
    endpoint: config.MM_S3_ENDPOINT,
    region: config.MM_S3_REGION,
    accessKeyId: config.MM_S3_ACCESS_KEY_ID,
    secretAccessKey: config.MM_S3_SECRET_ACCESS_KEY,
    presignDownloadsS: config.MM_S3_PRESIGN === "on" ? config.MM_S3_PRESIGN_TTL_S : null,
  });
}
