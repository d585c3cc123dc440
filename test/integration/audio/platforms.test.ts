// The per-platform playback report on real files: `magic-master analyze --json` of a generated quiet
// mix, checked against an independent ebur128 measurement and Spotify's documented rule; and a
// master's report, whose `after.platforms` is computed from the written file.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { master, type PlatformPlayback } from "../../../src/audio";
import { audioCommands } from "../../../src/cli/audio";
import type { CliIo } from "../../../src/cli/types";
import { cleanup, makeMusic, measure, tempDir } from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

function io(): CliIo & { outText: string[] } {
  const outText: string[] = [];
  return { env: {}, out: (s) => outText.push(s), err: () => undefined, isTty: false, outText };
}

const T = 60_000;
const by = (ps: PlatformPlayback[], id: string) => ps.find((p) => p.id === id) as PlatformPlayback;

describe("per-platform playback report", () => {
  it(
    "analyze --json: a quiet mix is lifted by Spotify only as far as its peak allows, left alone by YouTube",
    async () => {
      const file = await makeMusic(dir, { durationS: 6, name: "quiet.wav" });
      const m = await measure(file);
      // The generator's mix: about −20 LUFS with its peak a few dB under full scale.
      expect(m.lufs).toBeLessThan(-16);
      const o = io();
      expect(await audioCommands.analyze?.run([file, "--json"], o)).toBe(0);
      const a = JSON.parse(o.outText.join("\n")) as { platforms: PlatformPlayback[] };
      for (const p of a.platforms) {
        for (const k of [
          "id",
          "name",
          "target_lufs",
          "gain_db",
          "plays_at_lufs",
          "true_peak_after_dbtp",
          "verdict",
        ]) {
          expect(p).toHaveProperty(k);
        }
      }
      const spotify = by(a.platforms, "spotify");
      // Spotify's rule from the independent measurement: lift to −14, but keep the true peak at −1 dBTP.
      const expected = Math.max(0, Math.min(-14 - m.lufs, -1 - m.tp));
      expect(Math.abs(spotify.gain_db - expected)).toBeLessThanOrEqual(0.15);
      expect(Math.abs(spotify.plays_at_lufs - (m.lufs + expected))).toBeLessThanOrEqual(0.15);
      expect(spotify.true_peak_after_dbtp).toBeLessThanOrEqual(-0.9);
      const youtube = by(a.platforms, "youtube");
      expect(youtube.gain_db).toBe(0);
      expect(Math.abs(youtube.plays_at_lufs - m.lufs)).toBeLessThanOrEqual(0.15);
      expect(youtube.verdict).toBe("quieter");
      expect(by(a.platforms, "ebu_r128").verdict).toBe(
        Math.abs(m.lufs + 23) <= 0.5 ? "compliant" : "not_compliant",
      );
    },
    T,
  );

  it(
    "a −14 LUFS master's report says what each platform does with the written file",
    async () => {
      const inp = await makeMusic(dir, { durationS: 6, name: "to-master.wav" });
      const out = join(dir, "mastered.wav");
      const rep = await master(inp, out, { target_lufs: -14, ceiling_dbtp: -1 });
      const m = await measure(out);
      const ps = rep.after.platforms;
      const spotify = by(ps, "spotify");
      expect(Math.abs(spotify.gain_db)).toBeLessThanOrEqual(0.3);
      expect(spotify.verdict).toBe("ok");
      const apple = by(ps, "apple");
      expect(Math.abs(apple.gain_db - (-16 - m.lufs))).toBeLessThanOrEqual(0.15);
      expect(apple.verdict).toBe("turned_down");
      expect(Math.abs(apple.true_peak_after_dbtp - (m.tp + apple.gain_db))).toBeLessThanOrEqual(0.15);
      expect(by(ps, "ebu_r128").verdict).toBe("not_compliant");
    },
    T,
  );
});
