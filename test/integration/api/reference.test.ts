// POST /api/v2/master with `reference` file parts over loopback (real ffmpeg, SQLite, HTTP): the delivered
// file follows the reference's loudness (measured by the fixtures' ebur128), the report says what was
// matched, and the references go with the input once the job ends. Bad references: precise 4xx, in the
// caller's language, nothing charged, no file left.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";
import { form, type Harness, readSse, startApi, until } from "./harness";

const FFMPEG = process.env.MM_FFMPEG ?? "ffmpeg";

let h: Harness;
let fx = "";
let input = "";
let ref = "";

type ErrorBody = { error: { code: string; message: string } };

beforeAll(async () => {
  fx = await tempDir();
  input = await makeMusic(fx, { durationS: 8 });
  ref = join(fx, "ref.wav");
  const p = Bun.spawn(
    [
      FFMPEG,
      "-hide_banner",
      "-nostdin",
      "-y",
      "-i",
      input,
      "-af",
      "lowshelf=f=150:g=6,highshelf=f=6000:g=-6,volume=2dB",
      "-c:a",
      "pcm_f32le",
      ref,
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  expect(await p.exited).toBe(0);
  h = await startApi({ MM_WORKERS: "1" });
});
afterAll(async () => {
  await h.stop();
  await cleanup(h.dir);
  await cleanup(fx);
});

const post = (body: FormData, headers: Record<string, string> = {}, path = "/api/v2/master") =>
  fetch(`${h.url}${path}`, { method: "POST", body, headers });

/** No upload or work file left (the first test's result stays until its TTL). */
const uploadsGone = () =>
  until(
    "no upload left",
    () => h.files(),
    (f) => f.every((p) => p.includes("/results/")),
    30_000,
  );

describe("POST /api/v2/master with a reference", () => {
  it("matches the reference's loudness and tone; the report says so; input and reference are removed after", async () => {
    const res = await post(
      await form(
        [
          { name: "mix.wav", data: input },
          { field: "reference", name: "ref.wav", data: ref },
        ],
        { match: "tone,loudness", ceiling_dbtp: "-1" },
      ),
    );
    expect(res.status).toBe(202);
    const s = (await res.json()) as { events_url: string; result_url: string };
    const events = await readSse(`${h.url}${s.events_url}`, 180_000);
    const last = events.at(-1)?.data as {
      status: string;
      settings: { reference?: { match: string[] } };
      analysis_after: {
        changes: { reference: { aspects: string[]; width: null; loudness: { reference_lufs: number } } };
      };
    };
    expect(last.status).toBe("done");
    expect(last.settings.reference?.match).toEqual(["tone", "loudness"]);
    const c = last.analysis_after.changes.reference;
    expect(c.aspects).toEqual(["tone", "loudness"]);
    expect(c.width).toBeNull();
    const out = join(fx, "result.wav");
    await Bun.write(out, await (await fetch(`${h.url}${s.result_url}`)).arrayBuffer());
    const [mo, mr] = await Promise.all([measure(out), measure(ref)]);
    console.log(`API reference master: I out ${mo.lufs} vs reference ${mr.lufs}, TP ${mo.tp}`);
    expect(Math.abs(mo.lufs - mr.lufs)).toBeLessThanOrEqual(0.3);
    expect(mo.tp).toBeLessThanOrEqual(-1);
    // Only the result is left: the upload and its reference went when the job ended.
    await until(
      "input and reference removed",
      () => h.files(),
      (f) => f.every((p) => p.includes("/results/")),
      30_000,
    );
  }, 240_000);

  it("refuses bad references with a precise 4xx in the caller's language, charges nothing, leaves no file", async () => {
    const before = h.billing.count("reserve");
    const text = new Blob(["this is not audio at all, just some text that goes on"]);
    const cases: {
      files: { field?: string; name: string; data: Blob | string }[];
      fields?: Record<string, string>;
      status: number;
      code: string;
      path?: string;
    }[] = [
      {
        files: [
          { name: "a.wav", data: input },
          { field: "reference", name: "r.txt", data: text },
        ],
        status: 415,
        code: "unsupported_format",
      },
      {
        files: [
          { name: "a.wav", data: input },
          ...[1, 2, 3, 4].map(() => ({ field: "reference", name: "r.wav", data: ref })),
        ],
        status: 400,
        code: "too_many_references",
      },
      {
        files: [{ name: "a.wav", data: input }],
        fields: { match: "tone" },
        status: 400,
        code: "invalid_settings",
      },
      {
        files: [
          { name: "a.wav", data: input },
          { field: "reference", name: "r.wav", data: ref },
        ],
        fields: { reference_weights: "1,2" },
        status: 400,
        code: "invalid_settings",
      },
      {
        files: [
          { name: "a.wav", data: input },
          { field: "reference", name: "r.wav", data: ref },
        ],
        fields: { match: "colour" },
        status: 400,
        code: "invalid_settings",
      },
      {
        files: [
          { name: "a.wav", data: input },
          { field: "reference", name: "r.wav", data: ref },
        ],
        status: 400,
        code: "unexpected_file",
        path: "/api/v2/batch",
      },
    ];
    for (const k of cases) {
      const res = await post(await form(k.files, k.fields ?? {}), { "accept-language": "ru" }, k.path);
      const body = (await res.json()) as ErrorBody;
      expect({ status: res.status, code: body.error.code }).toEqual({ status: k.status, code: k.code });
      expect(body.error.message).toMatch(/[а-яё]/i);
    }
    await uploadsGone();
    expect(h.billing.count("reserve")).toBe(before);
  });
});
