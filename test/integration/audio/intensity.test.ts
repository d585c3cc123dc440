// Intensity and dry/wet mix on the written files (measured by the fixtures' own ebur128 call): every
// intensity lands on the target under the ceiling, LRA and PLR fall from low to high, and a 0 % mix is
// the input at a different gain while 100 % is the processed chain.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import {
  INTENSITIES,
  type Intensity,
  master,
  resolveSettings,
  STYLE_IDS,
  type StyleId,
} from "../../../src/audio";
import { audioCommands } from "../../../src/cli/audio";
import type { CliIo } from "../../../src/cli/types";
import { cleanup, makeBallad, makeSine, measure, nullDepthDb, readPcm, tempDir } from "../../fixtures/audio";

let dir = "";
let input = "";
beforeAll(async () => {
  dir = await tempDir();
  input = await makeBallad(dir, { durationS: 16 });
});
afterAll(() => cleanup(dir));

const T = 180_000;

type Row = { i: Intensity; lufs: number; tp: number; lra: number; plr: number };

/** The three intensities of `style` on the same input, measured on the written files. */
async function intensities(style: StyleId): Promise<Row[]> {
  const rows: Row[] = [];
  for (const i of INTENSITIES) {
    const out = join(dir, `${style}-${i}.wav`);
    const rep = await master(input, out, { style, intensity: i });
    expect(rep.intensity).toBe(i);
    const m = await measure(out);
    rows.push({ i, lufs: m.lufs, tp: m.tp, lra: m.lra, plr: m.tp - m.lufs });
  }
  console.log(`intensity, ${style} (written files): ${JSON.stringify(rows)}`);
  return rows;
}

describe("intensity low | medium | high", () => {
  it(
    "hits −14 LUFS ±0.3 under −1 dBTP at every intensity; LRA and PLR decrease from low to high",
    async () => {
      const rows: Row[] = [];
      for (const i of INTENSITIES) {
        const out = join(dir, `${i}.wav`);
        const rep = await master(input, out, { target_lufs: -14, ceiling_dbtp: -1, intensity: i });
        expect(rep.intensity).toBe(i);
        const m = await measure(out);
        rows.push({ i, lufs: m.lufs, tp: m.tp, lra: m.lra, plr: m.tp - m.lufs });
      }
      console.log(`intensity (written files): ${JSON.stringify(rows)}`);
      for (const r of rows) {
        expect(Math.abs(r.lufs + 14)).toBeLessThanOrEqual(0.3);
        expect(r.tp).toBeLessThanOrEqual(-1);
      }
      const [low, mid, high] = rows as [Row, Row, Row];
      expect(low.lra).toBeGreaterThan(mid.lra);
      expect(mid.lra).toBeGreaterThan(high.lra);
      expect(low.plr).toBeGreaterThan(mid.plr);
      expect(mid.plr).toBeGreaterThan(high.plr);
    },
    T,
  );

  // Every style at its own target and ceiling. Where the limiter holds the true peak at the ceiling at
  // every intensity (the club styles), PLR is the ceiling minus the target whatever the intensity, so
  // there it can only stay put; everywhere else it falls like LRA.
  it.each([...STYLE_IDS])(
    "%s: every intensity on its target under its ceiling; LRA falls from low to high, PLR too unless pinned",
    async (style) => {
      const target = resolveSettings({ style });
      const rows = await intensities(style);
      for (const r of rows) {
        expect(Math.abs(r.lufs - target.target_lufs)).toBeLessThanOrEqual(0.3);
        expect(r.tp).toBeLessThanOrEqual(target.ceiling_dbtp);
      }
      const [low, mid, high] = rows as [Row, Row, Row];
      expect(low.lra).toBeGreaterThan(mid.lra);
      expect(mid.lra).toBeGreaterThan(high.lra);
      const pinned = rows.every((r) => r.tp >= target.ceiling_dbtp - 0.3);
      if (pinned) {
        // 0.15: measure() reads I and TP to 0.1 each.
        expect(mid.plr).toBeLessThanOrEqual(low.plr + 0.15);
        expect(high.plr).toBeLessThanOrEqual(mid.plr + 0.15);
      } else {
        expect(low.plr).toBeGreaterThan(mid.plr);
        expect(mid.plr).toBeGreaterThan(high.plr);
      }
    },
    T,
  );
});

describe("mix (dry/wet)", () => {
  it(
    "0 % is the input at another gain (a null test), 100 % is processed (lo-fi EQ); both on target",
    async () => {
      // High-pass and multiband off so the dry path is exactly the gain-staged input (with the multiband on
      // it takes the crossover's allpass, a phase change); −18 LUFS leaves the limiter idle.
      const settings = {
        style: "lofi" as const,
        target_lufs: -18,
        ceiling_dbtp: -1,
        modules: { highpass: { enabled: false }, multiband: { enabled: false }, width: { enabled: false } },
      };
      const src = await readPcm(input, { startS: 4, durationS: 6 });
      const depth: Record<number, number> = {};
      for (const mix of [0, 100]) {
        const out = join(dir, `mix${mix}.wav`);
        const rep = await master(input, out, { ...settings, mix });
        expect(rep.mix_pct).toBe(mix);
        const m = await measure(out);
        expect(Math.abs(m.lufs + 18)).toBeLessThanOrEqual(0.3);
        expect(m.tp).toBeLessThanOrEqual(-1);
        expect(m.samples).toBe((await measure(input)).samples);
        depth[mix] = nullDepthDb(src.samples, (await readPcm(out, { startS: 4, durationS: 6 })).samples);
      }
      console.log(
        `null depth vs input: mix 0 % ${depth[0]?.toFixed(1)} dB, 100 % ${depth[100]?.toFixed(1)} dB`,
      );
      // The dry master differs from the input only by the 4× soxr round trip of the limiter stage.
      expect(depth[0] as number).toBeLessThan(-40);
      expect(depth[100] as number).toBeGreaterThan(-25);
    },
    T,
  );

  it(
    "a 50 % mix does not cancel at a crossover frequency (the dry path is phase-aligned)",
    async () => {
      // An LR4 crossover sum is −180° at its split: an unaligned 50/50 blend would null a 2230 Hz tone
      // and the flow would need a huge gain to reach the target.
      const tone = await makeSine(dir, { freq: 2230, dbfs: -20, durationS: 3 });
      const gains: number[] = [];
      for (const mix of [100, 50]) {
        const rep = await master(tone, join(dir, `tone${mix}.wav`), { target_lufs: -16, mix });
        expect(rep.within_spec).toBe(true);
        gains.push(rep.final_gain_db);
      }
      expect(Math.abs((gains[0] as number) - (gains[1] as number))).toBeLessThan(1);
    },
    T,
  );
});

describe("magic-master master --intensity / --mix", () => {
  const io = (lines: string[], errs: string[]): CliIo => ({
    env: { LANG: "en_US.UTF-8" },
    out: (t) => lines.push(t),
    err: (t) => errs.push(t),
    isTty: false,
  });

  it(
    "masters at the intensity asked for (the same file as the API's field), and refuses a bad one with exit 2",
    async () => {
      const lines: string[] = [];
      const errs: string[] = [];
      const out = join(dir, "cli-high.wav");
      const args = [input, "-o", out, "--intensity", "high", "--mix", "80", "--json"];
      expect(await audioCommands.master?.run(args, io(lines, errs))).toBe(0);
      const json = JSON.parse(lines.join("\n")) as { intensity: string; mix_pct: number };
      expect([json.intensity, json.mix_pct]).toEqual(["high", 80]);
      const m = await measure(out);
      expect(Math.abs(m.lufs + 14)).toBeLessThanOrEqual(0.3);
      // The same settings through master() write the same samples.
      const api = join(dir, "api-high.wav");
      await master(input, api, { intensity: "high", mix: 80 });
      const [a, b] = [(await readPcm(out)).samples, (await readPcm(api)).samples];
      expect(a.length).toBe(b.length);
      expect(a.every((x, i) => x === b[i])).toBe(true);
      expect(await audioCommands.master?.run([input, "--intensity", "max"], io(lines, errs))).toBe(2);
      expect(errs.join("\n")).toMatch(/intensity/);
    },
    T,
  );
});
