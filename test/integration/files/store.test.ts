// The file store contract, run against both backends: the data folder and a real S3-compatible server
// on loopback (s3rver). What one node publishes another node (another data folder) fetches, streams
// with a byte range, and deletes; a bucket with wrong credentials fails its check.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFileStore, dataLayout, ensureLayout, type FileStore } from "../../../src/files";
import { createLogger } from "../../../src/log";
import { cleanup, tempDir } from "../../fixtures/audio";
import { type S3Server, startS3 } from "../../fixtures/s3";

const log = createLogger("error");
let s3: S3Server;
const dirs: string[] = [];
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3.stop();
  for (const d of dirs) await cleanup(d);
});

type Backend = { name: string; env: () => Record<string, string> };
const backends: Backend[] = [
  { name: "local", env: () => ({ MM_STORAGE_URL: "" }) },
  { name: "s3", env: () => s3.env("nodes") },
];

const storeConfig = (env: Record<string, string>) => ({
  MM_STORAGE_URL: env.MM_STORAGE_URL ?? "",
  MM_S3_ENDPOINT: env.MM_S3_ENDPOINT ?? "",
  MM_S3_REGION: env.MM_S3_REGION ?? "",
  MM_S3_ACCESS_KEY_ID: env.MM_S3_ACCESS_KEY_ID ?? "",
  MM_S3_SECRET_ACCESS_KEY: env.MM_S3_SECRET_ACCESS_KEY ?? "",
  MM_S3_PRESIGN: "off" as const,
  MM_S3_PRESIGN_TTL_S: 900,
});

async function node(b: Backend) {
  const root = await tempDir();
  dirs.push(root);
  const layout = dataLayout(root);
  ensureLayout(layout);
  return { layout, files: createFileStore(storeConfig(b.env()), layout, log) };
}

const bytes = (n: number) => {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = (i * 7 + (i >> 10)) & 0xff;
  return a;
};

async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(s).arrayBuffer());
}

function suite(b: Backend) {
  describe(`file store: ${b.name}`, () => {
    let api: { layout: ReturnType<typeof dataLayout>; files: FileStore };
    let worker: typeof api;
    beforeAll(async () => {
      api = await node(b);
      // S3: a second node with its own data folder; local: the same folder (one machine).
      worker = b.name === "s3" ? await node(b) : api;
    });

    test("a published upload (multipart sized) is fetched whole on another node", async () => {
      const ref = join(api.layout.uploads, "a1.upload");
      const data = bytes(11 * 1024 * 1024 + 123); // three parts of 5 MiB
      writeFileSync(ref, data);
      await api.files.publish([ref, join(api.layout.uploads, "missing.upload")]);
      if (b.name === "s3") {
        expect(existsSync(ref)).toBe(false); // the API node keeps no copy
        expect(await s3.keys("nodes/uploads/")).toContain("nodes/uploads/a1.upload");
      }
      const got = await worker.files.fetch(ref);
      expect(got).toBe(worker.files.localPath(ref));
      expect(Buffer.compare(readFileSync(got as string), data)).toBe(0);
      expect((await worker.files.stat(ref))?.bytes).toBe(data.length);
      expect(await worker.files.fetch(join(api.layout.uploads, "nobody.upload"))).toBeNull();
      await worker.files.evict([ref]);
      if (b.name === "s3") expect(existsSync(worker.files.localPath(ref))).toBe(false);
    });

    test("streams a byte range and the whole file", async () => {
      const ref = join(api.layout.results, "r1.flac");
      const data = bytes(300_000);
      writeFileSync(ref, data);
      await api.files.publish([ref]);
      const part = await collect(worker.files.stream(ref, { start: 1000, end: 1999 }));
      expect(Buffer.compare(part, data.subarray(1000, 2000))).toBe(0);
      const whole = await collect(worker.files.stream(ref));
      expect(whole.length).toBe(data.length);
    });

    test("text siblings round-trip; a missing one reads null", async () => {
      const ref = join(api.layout.results, "r1.flac.plots.json");
      await api.files.writeText(ref, '{"a":1}');
      expect(await worker.files.readText(ref)).toBe('{"a":1}');
      expect(await worker.files.readText(join(api.layout.results, "none.json"))).toBeNull();
    });

    test("remove deletes the stored file everywhere; list shows what is left", async () => {
      const keep = join(api.layout.results, "keep.mp3");
      const gone = join(api.layout.uploads, "gone.upload");
      writeFileSync(keep, "k");
      writeFileSync(gone, "g");
      await api.files.publish([keep, gone]);
      await worker.files.fetch(gone); // a working copy on the worker goes too
      worker.files.remove([gone]);
      await worker.files.settled();
      expect(await api.files.stat(gone)).toBeNull();
      expect(existsSync(worker.files.localPath(gone))).toBe(false);
      const listed: string[] = [];
      for await (const e of api.files.list()) listed.push(e.ref);
      expect(listed).toContain(keep);
      expect(listed).not.toContain(gone);
      const entry = (await Array.fromAsync(worker.files.list())).find((e) => e.ref.endsWith("keep.mp3"));
      expect(entry?.bytes).toBe(1);
    });

    test("presign: a GET URL with the download name (S3), none for the data folder", async () => {
      const ref = join(api.layout.results, "r1.flac");
      const url = api.files.presign({ path: ref, name: "Песня_master.flac", mime: "audio/flac" }, 60);
      if (b.name === "local") {
        expect(url).toBeNull();
        return;
      }
      const res = await fetch(url as string, { headers: { Range: "bytes=0-9" } });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''%D0%9F");
      expect(res.headers.get("content-type")).toBe("audio/flac");
      expect((await res.arrayBuffer()).byteLength).toBe(10);
    });

    test("check passes on a reachable, writable store", async () => {
      await api.files.check();
    });
  });
}

for (const b of backends) suite(b);

describe("file store: configuration", () => {
  // s3rver checks the access key id but not SigV4 signatures, so a wrong key id is what fails here.
  test("unknown credentials fail the check", async () => {
    const root = await tempDir();
    dirs.push(root);
    mkdirSync(root, { recursive: true });
    const files = createFileStore(
      storeConfig({ ...s3.env(), MM_S3_ACCESS_KEY_ID: "NOBODY" }),
      dataLayout(root),
      log,
    );
    await expect(files.check()).rejects.toThrow();
  });

  test("a bucket without credentials stops start-up naming the variables", () => {
    expect(() =>
      createFileStore(storeConfig({ MM_STORAGE_URL: "s3://bucket/p" }), dataLayout("/tmp/x"), log),
    ).toThrow(/MM_S3_ACCESS_KEY_ID[\s\S]*MM_S3_SECRET_ACCESS_KEY/);
  });

  test("a ref outside uploads/ and results/ is refused (work/ and backups/ never go to the bucket)", async () => {
    const root = await tempDir();
    dirs.push(root);
    const files = createFileStore(storeConfig(s3.env()), dataLayout(root), log);
    expect(() => files.localPath(join(root, "backups", "x.db"))).toThrow(/not a stored file/);
  });
});
