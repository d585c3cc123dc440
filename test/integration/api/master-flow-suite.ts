// The mastering API end to end over loopback (real ffmpeg, real HTTP) on one database backend:
// master-flow.test.ts runs it on the SQLite file, master-flow-pg.test.ts on a harness Postgres.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { configureAudioTools } from "../../../src/audio";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";
import { processesMatching } from "../../fixtures/processes";
import { slowFfmpeg } from "../../fixtures/slow-ffmpeg";
import { waitFor } from "../../fixtures/wait";
import { form, type Harness, JOB_TEST_MS, JOB_WAIT_MS, readSse, startApi, until } from "./harness";

type Submitted = {
  job_id: string;
  id: string;
  token: string;
  handle: string;
  status_url: string;
  events_url: string;
  result_url: string;
  cancel_url: string;
};

import type { ApiBackend } from "./backends";

export function masterFlowSuite(b: ApiBackend): void {
  // Every test waits on its jobs' events with JOB_WAIT_MS: a slow machine makes it slower, never red.
  setDefaultTimeout(JOB_TEST_MS);
  describe.skipIf(b.skip)(`the mastering API (${b.name})`, () => {
    let h: Harness;
    let fx: string;
    let short: string;
    let long: string;

    const post = async (path: string, body: FormData, headers: Record<string, string> = {}) =>
      fetch(`${h.url}${path}`, { method: "POST", body, headers });
    const submit = async (
      file: string,
      fields: Record<string, string> = {},
      name = "my song.wav",
    ): Promise<Submitted> => {
      const res = await post("/api/v2/master", await form([{ name, data: file }], fields));
      expect(res.status).toBe(202);
      return (await res.json()) as Submitted;
    };
    const abs = (u: string) => `${h.url}${u}`;

    /**
     * A harness of its own whose ffmpeg reads every input in real time (`-re`): a 40 s track takes at least
     * 40 s per pass, so a cancel or a 1 s timeout always lands mid-render, however fast the machine.
     */
    async function withSlowApi(
      env: Record<string, string>,
      fn: (t: Harness) => Promise<void>,
    ): Promise<void> {
      const t = await startApi({ ...b.env(), ...env, MM_FFMPEG: slowFfmpeg() });
      try {
        await fn(t);
      } finally {
        await t.stop();
        await cleanup(t.dir);
        // The tools are process-wide: the other tests in this file (and later files) use the real ffmpeg.
        configureAudioTools({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
      }
    }

    beforeAll(async () => {
      fx = await tempDir();
      short = await makeMusic(fx, { durationS: 2 });
      long = await makeMusic(fx, { durationS: 40, name: "long.wav" });
      h = await startApi({ ...b.env(), MM_WORKERS: "2", MM_RESULT_TTL_H: "1" });
      expect(h.backend.kind).toBe(b.kind); // a Postgres runner silently on SQLite would prove nothing
    }); // JOB_TEST_MS: a loaded machine makes the 40 s fixture slow to write
    afterAll(async () => {
      await h.stop();
      await cleanup(h.dir);
      await cleanup(fx);
    });

    describe("POST /api/v2/master → SSE → result", () => {
      it("masters an upload to its target, streams progress and serves the result until expiry", async () => {
        const s = await submit(short, { target_lufs: "-14", format: "wav" }, "Мой трек.wav");
        expect(s.id).toMatch(/^[2-9A-Z]{6}$/);
        expect(s.job_id).toBe(`${s.id}.${s.token}`);
        expect(s.result_url).toContain(`token=${encodeURIComponent(s.token)}`);
        const events = await readSse(abs(s.events_url), JOB_WAIT_MS);
        expect(events[0]?.event).toBe("state");
        const last = events.at(-1)?.data as { status: string; analysis_after: { integrated_lufs: number } };
        expect(last.status).toBe("done");
        expect(events.some((e) => e.event === "progress")).toBe(true);

        const res = await fetch(abs(s.result_url));
        expect(res.status).toBe(200);
        expect(res.headers.get("content-disposition")).toContain(
          "filename*=UTF-8''%D0%9C%D0%BE%D0%B9%20%D1%82%D1%80%D0%B5%D0%BA_master.wav",
        );
        const out = `${fx}/downloaded.wav`;
        await Bun.write(out, res);
        const m = await measure(out);
        expect(Math.abs(m.lufs - -14)).toBeLessThanOrEqual(0.5);
        expect(m.tp).toBeLessThanOrEqual(-0.9);

        const again = await fetch(abs(s.result_url), { headers: { Range: "bytes=0-99" } });
        expect(again.status).toBe(206);
        expect(again.headers.get("content-range")).toMatch(/^bytes 0-99\/\d+$/);
        expect((await again.arrayBuffer()).byteLength).toBe(100);

        // Reconnecting after the end gets the final state at once.
        const replay = await readSse(abs(s.events_url), JOB_WAIT_MS);
        expect(replay.map((e) => (e.data as { status: string }).status)).toEqual(["done"]);

        expect(h.billing.count("reserve", s.id)).toBe(1);
        expect(h.billing.count("settle", s.id)).toBe(1);
        expect(h.billing.count("refund", s.id)).toBe(0);
        expect(h.files().filter((f) => f.includes("/uploads/") || f.includes("/work/"))).toEqual([]);

        const expired = h.jobs.expireResults(Date.now() + 2 * 3_600_000);
        expect(expired.expired).toBeGreaterThanOrEqual(1);
        expect((await fetch(abs(s.result_url))).status).toBe(410);
        expect(h.files().some((f) => f.includes(s.id))).toBe(false);
      });

      it("answers the original's alias paths with the handle as id", async () => {
        const s = await submit(short);
        const legacy = await readSse(`${h.url}/api/master/progress/${s.handle}`, JOB_WAIT_MS);
        expect((legacy.at(-1)?.data as { status: string } | undefined)?.status).toBe("done");
        const st = (await (await fetch(`${h.url}/api/master/status/${s.handle}`)).json()) as {
          status: string;
          progress: number;
        };
        expect(st).toMatchObject({ status: "done", progress: 100 });
        const res = await fetch(`${h.url}/api/master/result/${s.id}?token=${s.token}`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-disposition")).toContain('filename="my song_master.wav"');
        expect((await fetch(`${h.url}/api/master/status/${s.id}`)).status).toBe(403);
      });
    });

    describe("POST /api/v2/batch", () => {
      it("queues up to 10 files sharing one batch id and finishes them all", async () => {
        const fd = await form([
          { field: "files", name: "a.wav", data: short },
          { field: "files", name: "b.wav", data: short },
          { field: "files", name: "c.wav", data: short },
        ]);
        const res = await post("/api/v2/batch", fd);
        expect(res.status).toBe(202);
        const b = (await res.json()) as { batch_id: string; jobs: (Submitted & { filename: string })[] };
        expect(b.jobs.map((j) => j.filename).sort()).toEqual(["a.wav", "b.wav", "c.wav"]);
        const views = await until(
          "batch done",
          () => h.jobs.listByBatch(b.batch_id),
          (v) => v.length === 3 && v.every((j) => j.status === "done"),
          JOB_WAIT_MS,
        );
        expect(new Set(views.map((j) => j.batch_id))).toEqual(new Set([b.batch_id]));
      });
    });

    describe("worker pool", () => {
      it("runs two jobs at once with MM_WORKERS=2", async () => {
        // Both are queued before the pool starts, so its first pump claims both, however fast either renders.
        const t = await startApi({ ...b.env(), MM_WORKERS: "2" }, { start: false });
        let running = 0;
        let peak = 0;
        const seen = new Map<string, string>();
        const off = t.jobs.onEvent((e) => {
          if (e.type !== "state" || seen.get(e.job.id) === e.job.status) return;
          const prev = seen.get(e.job.id);
          seen.set(e.job.id, e.job.status);
          if (e.job.status === "running") running++;
          else if (prev === "running") running--;
          peak = Math.max(peak, running);
        });
        const submitTo = async () => {
          const res = await fetch(`${t.url}/api/v2/master`, {
            method: "POST",
            body: await form([{ name: "s.wav", data: short }]),
          });
          return (await res.json()) as Submitted;
        };
        try {
          const [a, b] = await Promise.all([submitTo(), submitTo()]);
          t.jobs.start();
          await until(
            "both done",
            () => [t.jobs.get(a.id)?.status, t.jobs.get(b.id)?.status],
            (v) => v.every((s) => s === "done"),
            JOB_WAIT_MS,
          );
          off();
          expect(peak).toBe(2);
        } finally {
          await t.stop();
          await cleanup(t.dir);
        }
      });

      it("cancels a running job: ffmpeg killed, nothing left on disk, refunded exactly once", async () => {
        await withSlowApi({}, async (t) => {
          const res = await fetch(`${t.url}/api/v2/master`, {
            method: "POST",
            body: await form([{ name: "long.wav", data: long }]),
          });
          const s = (await res.json()) as Submitted;
          // The real-time ffmpeg (the wrapper adds -re) reading this job's upload: the render is under way.
          await waitFor(() => processesMatching(t.dir, " -re ").length > 0, {
            what: "ffmpeg to run on the upload",
            timeoutMs: JOB_WAIT_MS,
          });
          const cancel = await fetch(`${t.url}${s.cancel_url}`, { method: "POST" });
          expect(cancel.status).toBe(200);
          expect(((await cancel.json()) as { status: string }).status).toBe("cancelled");
          await t.jobs.idle();
          expect(processesMatching(t.dir)).toEqual([]);
          expect(t.jobs.get(s.id)?.status).toBe("cancelled");
          expect(t.billing.refundReasons(s.id)).toEqual(["cancelled"]);
          expect(t.files()).toEqual([]);
          expect((await fetch(`${t.url}${s.cancel_url}`, { method: "POST" })).status).toBe(409);
          expect((await fetch(`${t.url}${s.result_url}`)).status).toBe(409);
        });
      });
    });

    describe("POST /api/measure and the catalogue", () => {
      it("measures a file through a measure job and returns its analysis", async () => {
        const res = await post("/api/measure", await form([{ name: "m.wav", data: short }]));
        expect(res.status).toBe(200);
        const body = (await res.json()) as { analysis: { integrated_lufs: number; duration_s: number } };
        expect(body.analysis.integrated_lufs).toBeLessThan(-10);
        expect(body.analysis.duration_s).toBeCloseTo(2, 0);
      });

      it("serves styles, presets, formats, the default chain and an OpenAPI document", async () => {
        for (const p of [
          "/api/styles",
          "/api/presets",
          "/api/formats",
          "/api/v2/chain/default?style=edm",
          "/api/openapi.json",
        ])
          expect((await fetch(`${h.url}${p}`)).status).toBe(200);
        const chain = (await (await fetch(`${h.url}/api/v2/chain/default?style=edm`)).json()) as Record<
          string,
          unknown
        >;
        const { version: _v, ...settings } = chain;
        const s = await submit(short, { settings: JSON.stringify(settings) });
        expect(s.id).toBeTruthy();
        const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as {
          paths: Record<string, unknown>;
          components: { schemas: Record<string, unknown> };
        };
        expect(Object.keys(doc.paths)).toContain("/api/jobs/{id}/events");
        expect(doc.components.schemas.MasterSettings).toBeTruthy();
        await until(
          "done",
          () => h.jobs.get(s.id)?.status,
          (st) => st === "done",
          JOB_WAIT_MS,
        );
      });
    });

    describe("MM_JOB_TIMEOUT_S", () => {
      it("kills a job that runs past the timeout: failed timeout, refunded once, no files left", async () => {
        await withSlowApi({ MM_JOB_TIMEOUT_S: "1" }, async (t) => {
          const res = await fetch(`${t.url}/api/v2/master`, {
            method: "POST",
            body: await form([{ name: "long.wav", data: long }]),
          });
          const s = (await res.json()) as Submitted;
          const events = await readSse(`${t.url}${s.events_url}`, JOB_WAIT_MS);
          const last = events.at(-1)?.data as { status: string; error: { code: string } };
          expect(last.status).toBe("failed");
          expect(last.error.code).toBe("timeout");
          await t.jobs.idle();
          expect(processesMatching(t.dir)).toEqual([]);
          expect(t.billing.refundReasons(s.id)).toEqual(["timeout"]);
          expect(t.files()).toEqual([]);
        });
      });
    });
  });
}
