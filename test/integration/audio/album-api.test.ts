// Album mode over HTTP (issue 15 point 2): POST /api/v2/batch with album=true on the real job service
// (two workers, so two tracks plan at once), real ffmpeg, loopback HTTP. The ZIP is unpacked by Info-ZIP
// and every delivered file measured by the fixtures' own ebur128 call: relative levels kept within
// 0.5 LU, the loudest on the target, TP ≤ ceiling. Plus the refusals and the batch token.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { cleanup, makeAlbumTracks, measure, tempDir } from "../../fixtures/audio";
import { form, type Harness, startApi, until } from "../api/harness";

const T = 300_000;
const LEVELS = [-16, -19.5, -23, -28];
let h: Harness;
let dir = "";
const tracks: string[] = [];

type BatchBody = {
  batch_id: string;
  album: boolean;
  album_url: string | null;
  zip_url: string;
  jobs: { id: string; filename: string }[];
};

beforeAll(async () => {
  dir = await tempDir();
  tracks.push(...(await makeAlbumTracks(dir, LEVELS, "song ")));
  h = await startApi({ MM_WORKERS: "2", MM_PUBLIC_URL: "http://127.0.0.1" });
}, T);
afterAll(async () => {
  await h?.stop();
  await cleanup(dir);
});

const local = (u: string) => u.replace("http://127.0.0.1", h.url);

async function submit(files: string[], fields: Record<string, string>, lang = "en") {
  const body = await form(
    files.map((data, i) => ({ field: "files", name: `song ${i + 1}.wav`, data })),
    fields,
  );
  return fetch(`${h.url}/api/v2/batch?lang=${lang}`, { method: "POST", body });
}

async function allDone(b: BatchBody): Promise<void> {
  for (const j of b.jobs)
    await until(
      `track ${j.filename} done`,
      () => h.jobs.get(j.id)?.status,
      (s) => s === "done" || s === "failed",
      T,
    );
}

let album: BatchBody;

describe("POST /api/v2/batch album=true", () => {
  it(
    "keeps 4 tracks' relative loudness within 0.5 LU on the files in the zip; the report agrees",
    async () => {
      const res = await submit(tracks, { album: "true", target_lufs: "-14", ceiling_dbtp: "-1" });
      expect(res.status).toBe(202);
      album = (await res.json()) as BatchBody;
      expect(album.album).toBe(true);
      expect(album.jobs.length).toBe(4);
      await allDone(album);
      for (const j of album.jobs) expect(h.jobs.get(j.id)?.status).toBe("done");

      const zip = await fetch(local(album.zip_url));
      expect(zip.status).toBe(200);
      expect(zip.headers.get("content-type")).toBe("application/zip");
      const zipPath = join(dir, "album.zip");
      await Bun.write(zipPath, zip);
      const out = join(dir, "unzipped");
      const p = Bun.spawn(["unzip", "-q", zipPath, "-d", out], { stdout: "pipe", stderr: "pipe" });
      expect(await p.exited).toBe(0);
      expect(readdirSync(out).sort()).toEqual([
        "album.json",
        "song 1_master.wav",
        "song 2_master.wav",
        "song 3_master.wav",
        "song 4_master.wav",
      ]);
      const inputs = await Promise.all(tracks.map(measure));
      const outs = await Promise.all([1, 2, 3, 4].map((i) => measure(join(out, `song ${i}_master.wav`))));
      const rows = outs.map((m, i) => ({
        relIn: (inputs[i]?.lufs as number) - (inputs[0]?.lufs as number),
        relOut: m.lufs - (outs[0]?.lufs as number),
        lufs: m.lufs,
        tp: m.tp,
      }));
      console.log(`album over HTTP (files from the zip): ${JSON.stringify(rows)}`);
      expect(Math.abs((outs[0]?.lufs as number) + 14)).toBeLessThanOrEqual(0.3);
      for (const r of rows) {
        expect(Math.abs(r.relOut - r.relIn)).toBeLessThanOrEqual(0.5);
        expect(r.tp).toBeLessThanOrEqual(-1);
      }

      const rep = (await (await fetch(local(album.album_url as string))).json()) as {
        within_spec: boolean;
        finished: boolean;
        tracks_done: number;
        style: string;
        pre_gain_db: number;
        target_lufs: number;
        tracks: { after_lufs: number; relative_error_lu: number }[];
      };
      expect(rep).toMatchObject({ within_spec: true, finished: true, tracks_done: 4, style: "standard" });
      expect(rep.target_lufs).toBe(-14);
      // One gain staging for the album, set by the loudest track (−18 − (−16)).
      expect(Math.abs(rep.pre_gain_db + 2)).toBeLessThanOrEqual(0.15);
      rep.tracks.forEach((t, i) => {
        expect(Math.abs(t.after_lufs - (outs[i]?.lufs as number))).toBeLessThanOrEqual(0.15);
        expect(Math.abs(t.relative_error_lu)).toBeLessThanOrEqual(0.5);
      });
      // The job views carry each track's album part.
      const view = (await (
        await fetch(
          `${h.url}/api/jobs/${album.jobs[3]?.id}?token=${h.jobs.accessToken(album.jobs[3]?.id ?? "")}`,
        )
      ).json()) as {
        settings: { album?: boolean };
        analysis_after: { changes: { album: { offset_lu: number } } };
      };
      expect(view.settings.album).toBe(true);
      expect(Math.abs(view.analysis_after.changes.album.offset_lu + 12)).toBeLessThanOrEqual(0.15);
      // Nothing of the album is left beside the uploads (plans go with their inputs).
      expect(h.files().filter((f) => f.includes("/uploads/"))).toEqual([]);
    },
    T,
  );

  it("refuses an album of one file in the caller's language; nothing stored, nothing charged", async () => {
    const before = h.billing.calls.length;
    const res = await submit([tracks[2] as string], { album: "true" }, "ru");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("album_needs_tracks");
    expect(body.error.message).toContain("Для альбома нужно от 2 до 10 файлов");
    expect(h.files().filter((f) => f.includes("/uploads/"))).toEqual([]);
    expect(h.billing.calls.length).toBe(before);
  });

  it(
    "the report and zip need the batch token (or the owner); a plain batch has a zip but no album report",
    async () => {
      const report = new URL(local(album.album_url as string));
      const bare = `${report.origin}${report.pathname}`;
      expect((await fetch(bare)).status).toBe(403);
      expect((await fetch(`${bare}?token=${"x".repeat(32)}`)).status).toBe(403);
      // A job's own token is not the batch's.
      expect((await fetch(`${bare}?token=${h.jobs.accessToken(album.jobs[0]?.id ?? "")}`)).status).toBe(403);
      const unknown = await fetch(`${h.url}/api/v2/batch/nosuch00/album?token=x`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("batch_not_found");

      const res = await submit([tracks[2] as string], {});
      const plain = (await res.json()) as BatchBody;
      expect(plain.album).toBe(false);
      expect(plain.album_url).toBeNull();
      await allDone(plain);
      const noAlbum = await fetch(local(plain.zip_url).replace("/zip?", "/album?"));
      expect(noAlbum.status).toBe(404);
      expect(((await noAlbum.json()) as { error: { code: string } }).error.code).toBe("batch_not_album");
      const zip = await fetch(local(plain.zip_url));
      expect(zip.status).toBe(200);
      const bytes = new Uint8Array(await zip.arrayBuffer());
      expect(Array.from(bytes.slice(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
    },
    T,
  );
});
