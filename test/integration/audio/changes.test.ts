// The "what changed" report on real masters: the compression numbers are measured per band in the
// chain pass, the limiter numbers from the chain's pre-limiter meter against the written file.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { master } from "../../../src/audio";
import { audioCommands } from "../../../src/cli/audio";
import type { CliIo } from "../../../src/cli/types";
import { cleanup, makeMusic, makeSine, measure, tempDir } from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

const T = 120_000;

describe("what changed", () => {
  it(
    "measures a 1 kHz tone's gain reduction in its own band (static curve ±1.5 dB), none elsewhere",
    async () => {
      const tone = await makeSine(dir, { freq: 1000, dbfs: -12, durationS: 4 });
      // −16 LUFS target: the limiter only catches the tone's inter-sample overshoot.
      const rep = await master(tone, join(dir, "tone.wav"), { target_lufs: -16, intensity: "high" });
      const c = rep.after.changes;
      const band = c.compression[1];
      expect(band?.from_hz).toBe(214);
      // Gain-staged to −18 LUFS a stereo 1 kHz sine peaks at about −18 dBFS per channel; above the band's
      // threshold the static curve takes (peak − threshold)·(1 − 1/ratio).
      const expected = (-18 - (band?.threshold_db as number)) * (1 - 1 / (band?.ratio as number));
      console.log(
        `band 2 gain reduction ${band?.gain_reduction_db} dB, static curve ${expected.toFixed(2)} dB`,
      );
      expect(Math.abs((band?.gain_reduction_db as number) - expected)).toBeLessThanOrEqual(1.5);
      for (const i of [0, 2, 3]) expect(c.compression[i]?.gain_reduction_db as number).toBeLessThan(0.5);
      expect(c.intensity).toBe("high");
    },
    T,
  );

  it(
    "reports the limiter's cost consistently with the written file, and prints RU/EN words in the CLI",
    async () => {
      const inp = await makeMusic(dir, { durationS: 6 });
      const out = join(dir, "loud.wav");
      const rep = await master(inp, out, { style: "edm" });
      const c = rep.after.changes;
      const m = await measure(out);
      // Loudness into the limiter (the chain's output + the final gain) minus the file's loudness.
      expect(c.limiter.mean_gain_reduction_db).toBeGreaterThan(0.5);
      expect(c.limiter.max_gain_reduction_db).toBeGreaterThan(c.limiter.mean_gain_reduction_db);
      expect(Math.abs(c.gain.final_db - rep.final_gain_db)).toBeLessThanOrEqual(0.05);
      expect(m.tp).toBeLessThanOrEqual(-1);
      expect(c.eq.find((e) => e.band === "sub")?.gain_db).toBe(1.8);
      expect(c.width.factor).toBe(1.25);
      expect(c.saturation_db).toBe(0.6);
      expect(c.parallel_mix).toBe(0.3);
      for (const [lang, title] of [
        ["ru_RU.UTF-8", "Что изменилось:"],
        ["en_US.UTF-8", "What changed:"],
      ] as const) {
        const lines: string[] = [];
        const io: CliIo = {
          env: { LANG: lang },
          out: (s) => lines.push(s),
          err: () => undefined,
          isTty: false,
        };
        expect(
          await audioCommands.master?.run([inp, "-o", join(dir, `cli-${lang}.wav`), "--style", "edm"], io),
        ).toBe(0);
        const text = lines.join("\n");
        expect(text).toContain(title);
        expect(text).not.toMatch(/\{\w+\}|audio_changed_/);
      }
    },
    T,
  );
});
