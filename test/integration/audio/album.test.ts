// Album mode on written files (issue 15 point 2), through the CLI verb `album`: 4 generated tracks of
// different material at known relative levels → every delivered file keeps its level relative to the
// loudest within 0.5 LU, the loudest lands on the target, every true peak ≤ ceiling — all measured by
// the fixtures' own ebur128 call, not by the engine. Also the verb's refusals.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { commands } from "../../../src/cli";
import { cleanup, makeAlbumTracks, measure, tempDir } from "../../fixtures/audio";

const T = 300_000;
let dir = "";
/** The four tracks and the integrated loudness each was scaled to (LUFS). */
const LEVELS = [-17, -20, -23, -27];
const tracks: string[] = [];

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { env: {}, out: (s: string) => out.push(s), err: (s: string) => err.push(s), isTty: false },
  };
}

beforeAll(async () => {
  dir = await tempDir();
  tracks.push(...(await makeAlbumTracks(dir, LEVELS, "track")));
}, T);
afterAll(() => cleanup(dir));

describe("magic-master album", () => {
  it(
    "keeps the tracks' relative loudness within 0.5 LU, the loudest on −14 LUFS, every TP ≤ −1 dBTP",
    async () => {
      const inputs = await Promise.all(tracks.map(measure));
      const outDir = join(dir, "out");
      const x = io();
      const code = await commands.album?.run(
        [...tracks, "--out-dir", outDir, "--target", "-14", "--ceiling", "-1"],
        x.io,
      );
      expect(x.err).toEqual([]);
      expect(code).toBe(0);
      const outputs = tracks.map((_, i) => join(outDir, `track${i + 1}_mastered.wav`));
      const delivered = await Promise.all(outputs.map(measure));
      const rows = delivered.map((m, i) => ({
        in: inputs[i]?.lufs,
        out: m.lufs,
        tp: m.tp,
        relIn: (inputs[i]?.lufs as number) - (inputs[0]?.lufs as number),
        relOut: m.lufs - (delivered[0]?.lufs as number),
      }));
      console.log(`album (written files): ${JSON.stringify(rows)}`);
      // The inputs really are at the levels the test set (so "kept" means something).
      for (const [i, m] of inputs.entries())
        expect(Math.abs(m.lufs - (LEVELS[i] as number))).toBeLessThanOrEqual(0.15);
      expect(Math.abs((delivered[0] as { lufs: number }).lufs + 14)).toBeLessThanOrEqual(0.3);
      for (const r of rows) {
        expect(Math.abs(r.relOut - r.relIn)).toBeLessThanOrEqual(0.5);
        expect(r.tp).toBeLessThanOrEqual(-1);
      }
      // The album report says the same as the independent meter.
      const album = JSON.parse(readFileSync(join(outDir, "album.json"), "utf8"));
      expect(album.report.within_spec).toBe(true);
      expect(album.plan.loudest).toBe("0");
      expect(new Set(album.plan.tracks.map((t: { pre_gain_db: number }) => t.pre_gain_db)).size).toBe(1);
      album.report.tracks.forEach((t: { after_lufs: number; true_peak_dbtp: number }, i: number) => {
        expect(Math.abs(t.after_lufs - (delivered[i] as { lufs: number }).lufs)).toBeLessThanOrEqual(0.15);
        expect(t.true_peak_dbtp).toBeLessThanOrEqual(-1);
      });
      expect(x.out.join("\n")).toContain("track4_mastered.wav");
    },
    T,
  );

  it(
    "--preset and --style: two tracks on Apple Music's −16 LUFS / −1 dBTP in the hip-hop style, levels kept",
    async () => {
      const pair = [tracks[1] as string, tracks[3] as string];
      const outDir = join(dir, "preset");
      const x = io();
      const code = await commands.album?.run(
        [...pair, "--out-dir", outDir, "--preset", "apple", "--style", "hiphop"],
        x.io,
      );
      expect(x.err).toEqual([]);
      expect(code).toBe(0);
      const [a, b] = await Promise.all(pair.map(measure));
      const [oa, ob] = await Promise.all(
        pair.map((_, i) => measure(join(outDir, `track${i === 0 ? 2 : 4}_mastered.wav`))),
      );
      if (!a || !b || !oa || !ob) throw new Error("missing measurement");
      console.log(
        `album --preset apple --style hiphop: ${oa.lufs} / ${ob.lufs} LUFS, TP ${oa.tp} / ${ob.tp}`,
      );
      expect(Math.abs(oa.lufs + 16)).toBeLessThanOrEqual(0.3);
      expect(Math.abs(ob.lufs - oa.lufs - (b.lufs - a.lufs))).toBeLessThanOrEqual(0.5);
      expect(Math.max(oa.tp, ob.tp)).toBeLessThanOrEqual(-1);
      const album = JSON.parse(readFileSync(join(outDir, "album.json"), "utf8"));
      expect(JSON.stringify(album)).toContain('"hiphop"');
    },
    T,
  );

  it("refuses one track, a missing --out-dir and --preset with --target (usage, exit 2)", async () => {
    const outDir = join(dir, "refused");
    for (const args of [
      [tracks[0] as string, "--out-dir", outDir],
      [tracks[0] as string, tracks[1] as string],
      [
        tracks[0] as string,
        tracks[1] as string,
        "--out-dir",
        outDir,
        "--preset",
        "spotify",
        "--target",
        "-9",
      ],
    ]) {
      const x = io();
      expect(await commands.album?.run(args, x.io)).toBe(2);
      expect(x.err.join("\n")).toContain("usage: magic-master album");
    }
    expect(existsSync(outDir)).toBe(false);
  });

  it(
    "names the track that cannot be read and exits 1",
    async () => {
      const bad = join(dir, "not-audio.wav");
      await Bun.write(bad, "RIFF but not really a wave file at all");
      const x = io();
      const code = await commands.album?.run([tracks[2] as string, bad, "--out-dir", join(dir, "bad")], x.io);
      expect(code).toBe(1);
      expect(x.err.join("\n")).toContain("not-audio.wav");
    },
    T,
  );
});
