// Object storage: where uploads and results live (data folder or an S3-compatible bucket).

import { z } from "zod";
import { int, optionalUrl, type Spec } from "../kinds";

export const STORAGE_ENV = {
  MM_STORAGE_URL: {
    schema: z
      .string()
      .trim()
      .refine(
        (v) => v === "" || /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v),
        "must be s3://bucket/prefix",
      ),
    default: "",
    describe:
      "Where uploads and results live: empty = the data folder; s3://bucket/prefix = an S3-compatible bucket",
  },
  MM_S3_ENDPOINT: {
    schema: optionalUrl,
    default: "",
    describe: "S3 endpoint (empty = AWS for MM_S3_REGION; R2, MinIO, Ceph: their URL)",
  },
  MM_S3_REGION: {
    schema: z.string().trim(),
    default: "",
    describe: "S3 region (empty = us-east-1; R2: auto)",
  },
  MM_S3_ACCESS_KEY_ID: { schema: z.string().trim(), default: "", describe: "S3 access key id" },
  MM_S3_SECRET_ACCESS_KEY: {
    schema: z.string().trim(),
    default: "",
    secret: true,
    describe: "S3 secret access key",
  },
  MM_S3_PRESIGN: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe:
      "on: downloads answer 302 to a presigned bucket URL; off: the API node streams them (Range kept)",
  },
  MM_S3_PRESIGN_TTL_S: {
    schema: int(60, 7 * 24 * 3600),
    default: "900",
    describe: "How long a presigned download URL stays valid, in seconds",
  },
} satisfies Record<string, Spec>;
