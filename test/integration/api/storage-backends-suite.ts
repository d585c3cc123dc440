// The job/API path that touches files, run on both file stores: the data folder and an S3-compatible
// bucket (s3rver on loopback). Upload over HTTP → a worker masters it → download with Range, plots,
// the "before" copy, another format, the batch zip; deleting and expiring results remove every object.
// On the bucket the API node keeps no file, and a worker with its own data folder (another machine)
// runs the job from the bucket alone; MM_S3_PRESIGN=on answers downloads with a presigned 302.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { loadConfig } from "../../../src/config";
import { type Backend, closeBackend, PgClient } from "../../../src/db";
import { createFileStore, dataLayout, ensureLayout } from "../../../src/files";
import { createJobService, type JobService } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { listFiles } from "../../fixtures/files";
import { type S3Server, startS3 } from "../../fixtures/s3";
import type { ApiBackend } from "./backends";
import { form, type Harness, JOB_TEST_MS, JOB_WAIT_MS, startApi, until } from "./harness";

export function storageBackendsSuite(b: ApiBackend): void {
  // Every test waits on its jobs' states with JOB_WAIT_MS: a slow machine makes it slower, never red.
  setDefaultTimeout(JOB_TEST_MS);
  describe.skipIf(b.skip)(`files on both stores (${b.name})`, () => {
    let s3: S3Server;
    let fx: string;
    let song: string;
    const dirs: string[] = [];
    beforeAll(async () => {
      s3 = await startS3();
      fx = await tempDir();
      song = await makeMusic(fx, { durationS: 2 });
    });
    afterAll(async () => {
      await s3.stop();
      for (const d of [fx, ...dirs]) await cleanup(d);
    });

    type FileBackend = { name: "local" | "s3"; env: (prefix: string) => Record<string, string> };
    const fileBackends: FileBackend[] = [
      { name: "local", env: () => ({}) },
      { name: "s3", env: (prefix) => s3.env(prefix) },
    ];

    type Submitted = { id: string; token: string };

    async function submit(h: Harness, fields: Record<string, string> = {}): Promise<Submitted> {
      const res = await fetch(`${h.url}/api/v2/master`, {
        method: "POST",
        body: await form([{ name: "song.wav", data: song }], fields),
      });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string; token: string };
      return { id: body.id, token: body.token };
    }

    async function done(jobs: JobService, id: string): Promise<void> {
      await until(
        "job final",
        () => jobs.get(id)?.status,
        (st) => st === "done" || st === "failed",
        JOB_WAIT_MS,
      );
      expect(jobs.get(id)?.status, JSON.stringify(jobs.get(id)?.error)).toBe("done");
    }

    const q = (s: Submitted) => `token=${s.token}`;

    function suite(fb: FileBackend) {
      describe(`files on ${fb.name}`, () => {
        let h: Harness;
        const prefix = `flow-${fb.name}`;
        const objects = () => (fb.name === "s3" ? s3.keys(`${prefix}/`) : Promise.resolve([]));
        beforeAll(async () => {
          h = await startApi({ ...b.env(), ...fb.env(prefix) });
          expect(h.backend.kind).toBe(b.kind); // a Postgres runner silently on SQLite would prove nothing
          dirs.push(h.dir);
        });
        afterAll(() => h.stop());

        test("master → download (whole, Range, HEAD), plots and the before copy", async () => {
          const s = await submit(h);
          await done(h.jobs, s.id);
          const url = `${h.url}/api/jobs/${s.id}/result?${q(s)}`;
          const whole = await fetch(url);
          expect(whole.status).toBe(200);
          const bytes = new Uint8Array(await whole.arrayBuffer());
          expect(bytes.length).toBe(h.jobs.get(s.id)?.result_bytes ?? -1);
          expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("RIFF");
          expect(whole.headers.get("content-disposition")).toContain("song_master.wav");
          const part = await fetch(url, { headers: { Range: "bytes=100-199" } });
          expect(part.status).toBe(206);
          expect(part.headers.get("content-range")).toBe(`bytes 100-199/${bytes.length}`);
          expect(Buffer.compare(new Uint8Array(await part.arrayBuffer()), bytes.subarray(100, 200))).toBe(0);
          expect((await fetch(url, { headers: { Range: `bytes=${bytes.length + 5}-` } })).status).toBe(416);
          const head = await fetch(url, { method: "HEAD" });
          expect(head.headers.get("content-length")).toBe(String(bytes.length));
          const plots = await fetch(`${h.url}/api/jobs/${s.id}/plots?${q(s)}`);
          expect(plots.status).toBe(200);
          const before = await fetch(`${h.url}/api/jobs/${s.id}/before?${q(s)}`);
          expect(before.status).toBe(200);
          expect(new TextDecoder().decode(new Uint8Array(await before.arrayBuffer()).subarray(0, 4))).toBe(
            "fLaC",
          );
          if (fb.name === "s3") {
            // The result and its siblings are objects; the upload is gone; this node keeps no file.
            const keys = await objects();
            expect(keys.filter((k) => k.includes("/results/"))).toEqual(
              [".wav", ".wav.before.flac", ".wav.plots.json"].map((x) => `${prefix}/results/${s.id}${x}`),
            );
            expect(keys.filter((k) => k.includes("/uploads/"))).toEqual([]);
            expect(h.files()).toEqual([]);
          }
        });

        test("another format is encoded from the stored result and served from the store", async () => {
          const s = await submit(h);
          await done(h.jobs, s.id);
          const ask = await fetch(`${h.url}/api/jobs/${s.id}/formats?${q(s)}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ format: "mp3" }),
          });
          expect([200, 202]).toContain(ask.status);
          await h.jobs.alternatesIdle();
          const all = (await (await fetch(`${h.url}/api/jobs/${s.id}/formats?${q(s)}`)).json()) as {
            formats: { format: string; status: string; bytes: number | null }[];
          };
          const mp3 = all.formats.find((f) => f.format === "mp3");
          expect(mp3?.status).toBe("ready");
          const file = await fetch(`${h.url}/api/jobs/${s.id}/formats/mp3?${q(s)}`);
          expect(file.status).toBe(200);
          expect((await file.arrayBuffer()).byteLength).toBe(mp3?.bytes ?? -1);
          if (fb.name === "s3") {
            expect(await objects()).toContain(`${prefix}/results/${s.id}.wav.as-mp3`);
            expect(h.files()).toEqual([]);
          }
        });

        test("deleting and expiring results remove every object of them", async () => {
          const a = await submit(h);
          const c = await submit(h);
          await done(h.jobs, a.id);
          await done(h.jobs, c.id);
          h.jobs.deleteResult(a.id, "test");
          h.jobs.expireResults(Date.now() + 400 * 24 * 3_600_000);
          await h.jobs.files.settled();
          expect((await fetch(`${h.url}/api/jobs/${a.id}/result?${q(a)}`)).status).toBe(410);
          expect((await fetch(`${h.url}/api/jobs/${c.id}/result?${q(c)}`)).status).toBe(410);
          if (fb.name === "s3") expect(await objects()).toEqual([]);
          else expect(h.files()).toEqual([]);
        });
      });
    }

    for (const fb of fileBackends) suite(fb);

    describe("files on s3: nodes", () => {
      test("a worker with its own data folder runs the API node's upload from the bucket alone", async () => {
        const prefix = "two-nodes";
        const api = await startApi({ ...b.env(), ...s3.env(prefix) }, { start: false });
        dirs.push(api.dir);
        // The worker node: the same database (Postgres in production; the file here), its own data folder.
        const wdir = await tempDir("mm-worker-");
        dirs.push(wdir);
        const config = loadConfig({ MM_DATA_DIR: wdir, MM_WORKERS: "1", ...s3.env(prefix) });
        const layout = dataLayout(wdir);
        ensureLayout(layout);
        // A node of its own: on Postgres its own connection, as another machine would have.
        const backend: Backend =
          api.backend.kind === "postgres"
            ? { kind: "postgres", pg: PgClient.connect(api.backend.pg.url) }
            : api.backend;
        const worker = createJobService({
          backend,
          config,
          log: silentLogger,
          layout,
          files: createFileStore(config, layout, silentLogger),
          pollMs: 100,
        });
        try {
          const s = await submit(api);
          expect(await s3.keys(`${prefix}/uploads/`)).toHaveLength(1);
          worker.start();
          await done(api.jobs, s.id);
          const res = await fetch(`${api.url}/api/jobs/${s.id}/result?${q(s)}`);
          expect(res.status).toBe(200);
          expect((await res.arrayBuffer()).byteLength).toBe(api.jobs.get(s.id)?.result_bytes ?? -1);
          // The worker dropped its working copies and the input object; neither node keeps a file.
          await worker.files.settled();
          expect(await s3.keys(`${prefix}/uploads/`)).toEqual([]);
          expect(api.files()).toEqual([]);
          expect([
            ...listFiles(layout.uploads),
            ...listFiles(layout.results),
            ...listFiles(layout.work),
          ]).toEqual([]);
        } finally {
          await worker.stop(2000);
          if (backend !== api.backend) closeBackend(backend);
          await api.stop();
        }
      });

      test("MM_S3_PRESIGN=on: a download is a 302 to a presigned URL the bucket serves with the name", async () => {
        const h = await startApi({ ...b.env(), ...s3.env("presign"), MM_S3_PRESIGN: "on" });
        dirs.push(h.dir);
        try {
          const s = await submit(h);
          await done(h.jobs, s.id);
          const res = await fetch(`${h.url}/api/jobs/${s.id}/result?${q(s)}`, { redirect: "manual" });
          expect(res.status).toBe(302);
          const location = res.headers.get("location") ?? "";
          expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/presign/results/${s.id}.wav?`)).toBe(true);
          expect(location).toContain("X-Amz-Signature=");
          const got = await fetch(location, { headers: { Range: "bytes=0-3" } });
          expect(got.status).toBe(206);
          expect(new TextDecoder().decode(await got.arrayBuffer())).toBe("RIFF");
          expect(got.headers.get("content-disposition")).toContain("song_master.wav");
        } finally {
          await h.stop();
        }
      });
    });
  });
}
