// The transient shaper measured on written masters. The flow re-levels every master to its target, so
// the attack is measured against the same file's decays (which the attack control leaves alone) and
// a level change shows up as a different final gain (the flow meters the chain's output).

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type MasterSettings, master } from "../../../src/audio";
import {
  cleanup,
  DRUM_ONSET_S,
  makeDrumLoop,
  makeSine,
  nullDepthDb,
  readPcm,
  tempDir,
} from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

const T = 120_000;
// Only the shaper: no EQ, compressors or width; −24 LUFS keeps the limiter idle even at +6 dB attack.
const base = (transient: { attack_db?: number; sustain_db?: number }): MasterSettings => ({
  target_lufs: -24,
  modules: { highpass: { enabled: false }, eq: { enabled: false }, multiband: { enabled: false }, transient },
});

const energyDb = (x: Float32Array, from: number, n: number) => {
  let e = 0;
  for (let i = from; i < from + n && i < x.length; i++) e += (x[i] as number) ** 2;
  return 10 * Math.log10(e + 1e-20);
};

/** Mean over onsets of (energy of the first 10 ms) − (energy 60–210 ms after the onset), dB. */
async function attackOverDecay(file: string): Promise<number> {
  const { samples, rate } = await readPcm(file, { durationS: 6 });
  const diffs: number[] = [];
  for (let k = 2; k < 20; k++) {
    const o = Math.round(k * DRUM_ONSET_S * rate);
    diffs.push(energyDb(samples, o, 0.01 * rate) - energyDb(samples, o + 0.06 * rate, 0.15 * rate));
  }
  return diffs.reduce((a, b) => a + b, 0) / diffs.length;
}

describe("transient shaper", () => {
  it(
    "moves the attack energy of a drum loop by the set amount (±1.5 dB), both ways",
    async () => {
      const drums = await makeDrumLoop(dir);
      const ref = await master(drums, join(dir, "d0.wav"), base({}));
      const ref0 = await attackOverDecay(join(dir, "d0.wav"));
      for (const set of [6, -6]) {
        const out = join(dir, `d${set}.wav`);
        const rep = await master(drums, out, base({ attack_db: set }));
        expect(rep.within_spec).toBe(true);
        const moved = (await attackOverDecay(out)) - ref0;
        console.log(
          `attack ${set} dB → measured ${moved.toFixed(2)} dB (final gain ${rep.final_gain_db} vs ${ref.final_gain_db})`,
        );
        expect(Math.abs(moved - set)).toBeLessThanOrEqual(1.5);
      }
    },
    T,
  );

  it(
    "moves the decay against the attack the set way with sustain (±6 dB → at least ±3 dB)",
    async () => {
      const drums = await makeDrumLoop(dir, { name: "drums-sustain.wav" });
      await master(drums, join(dir, "s0.wav"), base({}));
      const ref = await attackOverDecay(join(dir, "s0.wav"));
      for (const set of [6, -6]) {
        const out = join(dir, `s${set}.wav`);
        expect((await master(drums, out, base({ sustain_db: set }))).within_spec).toBe(true);
        // attackOverDecay falls as the decay rises: its change is minus the sustain's effect.
        const moved = ref - (await attackOverDecay(out));
        console.log(`sustain ${set} dB → decay vs attack moved ${moved.toFixed(2)} dB`);
        expect(Math.sign(moved)).toBe(Math.sign(set));
        expect(Math.abs(moved)).toBeGreaterThanOrEqual(3);
      }
    },
    T,
  );

  it(
    "leaves the level of a sustained tone within 0.5 dB, even with attack and sustain at +6 dB",
    async () => {
      const tone = await makeSine(dir, { freq: 220, dbfs: -12, durationS: 6 });
      const ref = await master(tone, join(dir, "t0.wav"), base({}));
      for (const t of [
        { attack_db: 6, sustain_db: 6 },
        { attack_db: -6, sustain_db: -6 },
      ]) {
        const out = join(dir, `t${t.attack_db}.wav`);
        const rep = await master(tone, out, base(t));
        // Same chain loudness ⇔ same final gain to the same target.
        expect(Math.abs(rep.final_gain_db - ref.final_gain_db)).toBeLessThan(0.5);
        // And on the written files: past its onset the tone is the reference's, sample for sample at one
        // gain (no pumping or modulation), measured by the fixtures' own decode.
        const steady = { startS: 1, durationS: 4 };
        const a = (await readPcm(join(dir, "t0.wav"), steady)).samples;
        const b = (await readPcm(out, steady)).samples;
        expect(nullDepthDb(a, b)).toBeLessThan(-60);
      }
    },
    T,
  );
});
