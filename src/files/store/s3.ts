// Files in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Ceph RGW) through Bun's built-in
// S3Client. Only the subset they all speak: PUT, multipart upload, GET with Range, HEAD, DELETE,
// ListObjectsV2 and query-string (SigV4) presigned GETs. Uploads stream from the working copy in parts,
// so memory stays at about partSize × queueSize whatever the file's size.

import { randomUUID } from "node:crypto";
import { existsSync, rmSync, statSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describeError } from "../../errors";
import type { Logger } from "../../log";
import type { DataLayout } from "../layout";
import { contentDisposition } from "../names";
import { type BucketLocation, keyOfRef, localPathOf, STORED_AREAS } from "./location";
import type { FileStore, StoredEntry, StoredStat } from "./types";

export type S3StoreOptions = {
  location: BucketLocation;
  endpoint?: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Multipart part size (S3's minimum, 5 MiB, unless a test wants bigger parts). */
  partSize?: number;
  /** Parts in flight at once. */
  queueSize?: number;
  /** Downloads as 302 to a presigned URL valid this long; null streams them through the API node. */
  presignDownloadsS?: number | null;
  /** Waits between attempts of a background delete. */
  deleteRetryMs?: readonly number[];
};

const MiB = 1024 * 1024;

/** "not there" from HEAD/GET: Bun's S3Error code, or a bare 404. */
function isMissing(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown } | null;
  return e?.code === "NoSuchKey" || e?.code === "NotFound" || e?.status === 404;
}

export function createS3FileStore(layout: DataLayout, log: Logger, o: S3StoreOptions): FileStore {
  const client = new Bun.S3Client({
    bucket: o.location.bucket,
    endpoint: o.endpoint || undefined,
    region: o.region || undefined,
    accessKeyId: o.accessKeyId,
    secretAccessKey: o.secretAccessKey,
  });
  const partSize = Math.max(5 * MiB, o.partSize ?? 5 * MiB);
  const queueSize = o.queueSize ?? 2;
  const retryMs = o.deleteRetryMs ?? [500, 2000, 8000];
  const key = (ref: string) => keyOfRef(o.location, ref);
  const local = (ref: string) => localPathOf(layout, ref);
  const pending = new Set<Promise<void>>();

  async function upload(ref: string): Promise<void> {
    const path = local(ref);
    if (!existsSync(path)) return;
    const writer = client.file(key(ref)).writer({ partSize, queueSize, retry: 3 });
    try {
      for await (const chunk of Bun.file(path).stream()) {
        writer.write(chunk);
        // Wait for the part to leave before reading more: this is what keeps memory bounded.
        await writer.flush();
      }
      await writer.end();
    } catch (err) {
      // A half-sent multipart upload is aborted by end(err); the bucket holds nothing under the key.
      await Promise.resolve(writer.end(err instanceof Error ? err : new Error(String(err)))).catch(
        () => undefined,
      );
      throw err;
    }
    await rm(path, { force: true });
  }

  async function statKey(k: string): Promise<StoredStat | null> {
    try {
      const s = await client.file(k).stat();
      return { bytes: s.size, modifiedAt: s.lastModified.getTime() };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async function deleteWithRetry(k: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.delete(k);
        return;
      } catch (err) {
        const wait = retryMs[attempt];
        if (wait === undefined) {
          // The orphan sweep deletes it later (no row names it any more).
          log.error("file_delete_failed", describeError(err), { key: k, error: describeError(err) });
          return;
        }
        await Bun.sleep(wait);
      }
    }
  }

  return {
    kind: "s3",
    where: `s3://${o.location.bucket}/${o.location.prefix}${o.endpoint ? ` at ${o.endpoint}` : ""}`,
    presignDownloadsS: o.presignDownloadsS ?? null,
    localPath: local,
    async publish(refs) {
      for (const ref of refs) await upload(ref);
    },
    async fetch(ref) {
      const path = local(ref);
      if (existsSync(path)) return path;
      const f = client.file(key(ref));
      if (!(await statKey(key(ref)))) return null;
      await mkdir(dirname(path), { recursive: true });
      // Written under a temporary name and renamed: a reader never sees half a file.
      const tmp = `${path}.${randomUUID().slice(0, 8)}.part`;
      const sink = Bun.file(tmp).writer();
      try {
        for await (const chunk of f.stream()) {
          sink.write(chunk);
          await sink.flush();
        }
        await sink.end();
        await rename(tmp, path);
      } catch (err) {
        await Promise.resolve(sink.end()).catch(() => undefined);
        await rm(tmp, { force: true });
        if (isMissing(err)) return null;
        throw err;
      }
      return path;
    },
    async evict(refs) {
      await Promise.all(refs.map((r) => rm(local(r), { force: true }).catch(() => undefined)));
    },
    stat: (ref) => statKey(key(ref)),
    async readText(ref) {
      try {
        return await client.file(key(ref)).text();
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async writeText(ref, text) {
      await client.write(key(ref), text);
    },
    stream(ref, range) {
      const f = client.file(key(ref));
      return (range ? f.slice(range.start, range.end + 1) : f).stream();
    },
    presign(target, expiresInS) {
      return client.presign(key(target.path), {
        method: "GET",
        expiresIn: expiresInS,
        contentDisposition: contentDisposition(target.name),
        type: target.mime,
      });
    },
    remove(refs) {
      let bytes = 0;
      for (const ref of refs) {
        const path = local(ref);
        try {
          bytes += statSync(path).size;
          rmSync(path, { force: true });
        } catch {
          // No working copy on this node.
        }
        const p = deleteWithRetry(key(ref)).finally(() => pending.delete(p));
        pending.add(p);
      }
      return bytes;
    },
    async settled() {
      while (pending.size) await Promise.all([...pending]);
    },
    async *list(): AsyncIterable<StoredEntry> {
      for (const area of STORED_AREAS) {
        const prefix = `${o.location.prefix}${area}/`;
        let token: string | undefined;
        do {
          const page = await client.list({ prefix, continuationToken: token, maxKeys: 1000 });
          for (const c of page.contents ?? []) {
            const name = c.key.slice(prefix.length);
            if (!name || name.includes("/")) continue; // not one of ours
            yield {
              ref: join(layout[area], name),
              bytes: c.size ?? 0,
              modifiedAt: c.lastModified ? new Date(c.lastModified).getTime() : 0,
            };
          }
          token = page.isTruncated ? page.nextContinuationToken : undefined;
        } while (token);
      }
    },
    async check() {
      const probe = `${o.location.prefix}.probe/${randomUUID()}`;
      await client.write(probe, "ok");
      await client.delete(probe);
    },
  };
}
