// GET /api/auth/history and its CSV export on the running service: real masters through ffmpeg, history
// read from the jobs table by the caller's user id, over HTTP on loopback, SQLite in a temp folder.
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { z } from "zod";
import { loadConfig } from "../../../src/config";
import { SCHEMAS } from "../../../src/http/routes/openapi";
import type { HistorySchema } from "../../../src/http/routes/schemas-account";
import type { SubmitRequest } from "../../../src/jobs";
import { silentLogger } from "../../../src/log";
import { type RunningService, startService } from "../../../src/service";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";
import { form, until } from "./harness";
import { type Account, account } from "./signed-in";

type History = z.infer<typeof HistorySchema>;

let s: RunningService;
let dir: string;
let fx: string;
let wav: string;
let alice: Account;
let bob: Account;
let n = 0;
/** A name a spreadsheet would run as a formula, with a comma, quotes and a newline to quote. */
const HOSTILE = '=HYPERLINK("http://evil.example","x"),\n"take".wav';

/** Queues a job for `user` the way a signed-in submission does (owner user:<id>, user_id set). */
function submit(user: Account, o: Partial<SubmitRequest> & { from?: string } = {}) {
  const path = join(s.layout.uploads, `in-${++n}.wav`);
  if (o.from === "garbage") writeFileSync(path, "not audio at all");
  else copyFileSync(wav, path);
  return s.jobs.submit({
    ownerKey: `user:${user.id}`,
    userId: user.id,
    source: "web",
    kind: "master",
    inputPath: path,
    inputBytes: 1,
    originalName: "take.wav",
    settings: {},
    lang: "en",
    ...o,
  });
}

const history = async (a: Account | null, query = ""): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`${s.url}/api/auth/history${query}`, { headers: a?.headers ?? {} });
  return { status: res.status, body: await res.json() };
};
const parsed = (body: unknown): History => SCHEMAS.History.parse(body) as History;

let done: string;
let failed: string;
let bobs: string;

beforeAll(async () => {
  fx = await tempDir();
  dir = await tempDir("mm-history-");
  wav = await makeMusic(fx, { durationS: 2 });
  s = await startService(
    loadConfig({ PORT: "0", MM_DATA_DIR: dir, MM_WORKERS: "1", MM_RATE_LIMIT_PER_MIN: "0" }),
    silentLogger,
  );
  alice = await account(s.url, "alice@example.com");
  bob = await account(s.url, "bob@example.com");
  done = submit(alice, {
    originalName: HOSTILE,
    settings: { style: "edm", format: "flac24", target_lufs: -12 },
  }).id;
  failed = submit(alice, { from: "garbage", originalName: "broken.wav" }).id;
  bobs = submit(bob, { originalName: "bob.wav" }).id;
  for (const id of [done, failed, bobs])
    await until(
      `job ${id} final`,
      () => s.jobs.get(id)?.status,
      (st) => st === "done" || st === "failed",
      120_000,
    );
});
afterAll(async () => {
  await s.stop();
  await cleanup(dir);
  await cleanup(fx);
});

describe("GET /api/auth/history", () => {
  it("lists the caller's jobs from the jobs table: loudness before/after, style, format, duration, link", async () => {
    const { status, body } = await history(alice);
    expect(status).toBe(200);
    const h = parsed(body);
    expect(h.total).toBe(2);
    expect(h.next_cursor).toBeNull();
    expect(h.items.map((i) => i.id)).toEqual([failed, done]); // newest first
    const d = h.items[1];
    if (!d) throw new Error("no done item");
    expect(d).toMatchObject({
      status: "done",
      style: "edm",
      format: "flac24",
      target_lufs: -12,
      error: null,
    });
    expect(d.original_name).toBe(HOSTILE);
    expect(d.duration_s).toBeCloseTo(2, 1);
    expect(d.finished_at).toBeGreaterThanOrEqual(d.created_at);
    // The figures are the measured ones: before from the fixture, after from the written file.
    const before = await measure(wav);
    expect(d.lufs_before).toBeCloseTo(before.lufs, 0);
    expect(Math.abs((d.lufs_after ?? 0) + 12)).toBeLessThan(1);
    expect(d.true_peak_after).toBeLessThanOrEqual(0);
    // The link downloads the master while it lives.
    expect(d.download_url).toContain(`/api/jobs/${done}/result?token=`);
    const dl = await fetch(`${s.url}${d.download_url?.replace(/^https?:\/\/[^/]+/, "")}`);
    expect(dl.status).toBe(200);
    const bytes = new Uint8Array(await dl.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe("fLaC");
    const f = h.items[0];
    expect(f).toMatchObject({ status: "failed", download_url: null, lufs_after: null });
    expect(f?.error?.code).toBeTruthy();
    expect(f?.error?.message).not.toBe(f?.error?.code);
  });

  it("never shows another user's jobs, and a guest gets 401", async () => {
    const b = parsed((await history(bob)).body);
    expect(b.items.map((i) => i.id)).toEqual([bobs]);
    expect(b.total).toBe(1);
    const guest = await history(null);
    expect(guest.status).toBe(401);
    expect((guest.body as { error: { code: string } }).error.code).toBe("session_required");
    expect(
      (await history({ id: 0, token: "x", headers: { authorization: "Bearer forged-forged" } })).status,
    ).toBe(401);
  });

  it("a signed-in upload over HTTP is in the uploader's history only", async () => {
    const res = await fetch(`${s.url}/api/v2/master`, {
      method: "POST",
      headers: alice.headers,
      body: await form([{ name: "web-take.wav", data: wav }], { style: "lofi" }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const top = parsed((await history(alice, "?limit=1")).body).items[0];
    expect(top).toMatchObject({ id, source: "web", original_name: "web-take.wav", style: "lofi" });
    expect(parsed((await history(bob)).body).items.map((i) => i.id)).not.toContain(id);
    await until(
      "web job final",
      () => s.jobs.get(id)?.status,
      (st) => st === "done" || st === "failed",
      120_000,
    );
  });

  it("the download link disappears once the result expires", async () => {
    s.jobs.expireResults(Date.now() + 365 * 86_400_000);
    const h = parsed((await history(alice)).body);
    const d = h.items.find((i) => i.id === done);
    expect(d?.status).toBe("expired");
    expect(d?.download_url).toBeNull();
    expect(d?.lufs_after).not.toBeNull(); // the figures stay
  });
});

describe("GET /api/auth/history/export.csv", () => {
  it("is an attachment that a CSV parser reads back into the same rows, formulas neutralised", async () => {
    const res = await fetch(`${s.url}/api/auth/history/export.csv`, { headers: alice.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/csv");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="magic-master-history.csv"');
    const raw = new Uint8Array(await res.arrayBuffer());
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    const text = new TextDecoder().decode(raw); // the decoder drops the BOM
    expect(text).toContain("\r\n");
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    const json = parsed((await history(alice)).body).items;
    expect(rows.map((r) => r.id)).toEqual(json.map((i) => i.id));
    expect(rows.length).toBe(3);
    const d = rows.find((r) => r.id === done) as Record<string, string>;
    const dj = json.find((i) => i.id === done);
    expect(d.original_name).toBe(`'${HOSTILE}`); // a leading apostrophe: text, never a formula
    expect(Number(d.lufs_before)).toBe(dj?.lufs_before as number);
    expect(Number(d.lufs_after)).toBe(dj?.lufs_after as number);
    expect(d.lufs_before?.startsWith("-")).toBe(true); // numbers stay numbers
    expect(d).toMatchObject({
      status: "expired",
      style: "edm",
      format: "flac24",
      target_lufs: "-12",
      cost: "0",
    });
    expect(new Date(d.created_at as string).getTime()).toBe(dj?.created_at as number);
    const f = rows.find((r) => r.id === failed);
    expect(f?.error_code).toBe(json.find((i) => i.id === failed)?.error?.code as string);
    expect(Object.keys(rows[0] ?? {})).toContain("true_peak_after");
  });

  it("holds only the caller's jobs; a guest gets 401", async () => {
    const res = await fetch(`${s.url}/api/auth/history/export.csv`, { headers: bob.headers });
    const rows = parse(await res.text(), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual([bobs]);
    expect((await fetch(`${s.url}/api/auth/history/export.csv`)).status).toBe(401);
  });
});
