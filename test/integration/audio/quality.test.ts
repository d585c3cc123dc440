// THD+N through the standard chain (FFT in TS), preview, and the CLI's exit codes.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import FFT from "fft.js";
import { master, preview } from "../../../src/audio";
import { audioCommands } from "../../../src/cli/audio";
import type { CliIo, ExitCode } from "../../../src/cli/types";
import { cleanup, makeMusic, makeSine, measure, readPcm, tempDir } from "../../fixtures/audio";

const T = 180_000;
let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

/** THD+N of a sine: everything except the fundamental (±5 bins) and DC, over the fundamental. */
function thdN(x: Float32Array, rate: number, freq: number): number {
  const n = 32768;
  const fft = new FFT(n);
  const frame = new Float64Array(n);
  // 4-term Blackman-Harris: side lobes below −92 dB, so leakage does not pose as distortion.
  for (let i = 0; i < n; i++) {
    const p = (2 * Math.PI * i) / (n - 1);
    frame[i] =
      (x[i] ?? 0) * (0.35875 - 0.48829 * Math.cos(p) + 0.14128 * Math.cos(2 * p) - 0.01168 * Math.cos(3 * p));
  }
  const out: number[] = fft.createComplexArray();
  fft.realTransform(out, frame);
  const k0 = Math.round((freq / rate) * n);
  let fund = 0;
  let rest = 0;
  for (let k = Math.ceil((20 / rate) * n); k < n / 2; k++) {
    const pw = (out[2 * k] as number) ** 2 + (out[2 * k + 1] as number) ** 2;
    if (Math.abs(k - k0) <= 5) fund += pw;
    else rest += pw;
  }
  return Math.sqrt(rest / fund);
}

describe("quality", () => {
  it(
    "a 1 kHz sine at −12 dBFS comes out of the standard chain with THD+N < 1 %",
    async () => {
      const sine = await makeSine(dir, { freq: 1000, dbfs: -12, durationS: 2 });
      const out = join(dir, "sine-out.wav");
      await master(sine, out, { style: "standard" });
      const { samples, rate } = await readPcm(out, { startS: 1, durationS: 0.8 });
      const thd = thdN(samples, rate, 1000);
      expect(thd).toBeLessThan(0.01);
      const input = await readPcm(sine, { startS: 1, durationS: 0.8 });
      expect(thdN(input.samples, input.rate, 1000)).toBeLessThan(0.001);
    },
    T,
  );

  it(
    "previews the loudest 30 s with whole-file gains, faster than a full master",
    async () => {
      const long = await makeMusic(dir, { durationS: 45, name: "long45.wav" });
      const out = join(dir, "prev.wav");
      const rep = await preview(long, out, { style: "standard" });
      const m = await measure(out);
      expect(Math.abs(m.samples / 44100 - 30)).toBeLessThan(0.01);
      // The music's loud part starts at 15 s (first third quieter).
      expect(rep.excerpt.start_s).toBeGreaterThanOrEqual(14);
      expect(m.tp).toBeLessThanOrEqual(-1);
      // Whole-file gain: the loud excerpt sits above the −14 target, as it will in the full master.
      expect(m.lufs).toBeGreaterThan(-14.3);
      expect(m.lufs).toBeLessThan(-12);
      // The written excerpt is verified against the full master's estimated loudness over it.
      expect(Math.abs(m.lufs - rep.expected_lufs)).toBeLessThanOrEqual(0.3);
    },
    T,
  );
});

function io(): CliIo & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return {
    env: {},
    out: (s) => outText.push(s),
    err: (s) => errText.push(s),
    isTty: false,
    outText,
    errText,
  };
}

describe("magic-master master / analyze", () => {
  it(
    "masters to the format inferred from -o and prints a before/after table",
    async () => {
      const inp = await makeMusic(dir, { name: "cli-in.wav" });
      const o = io();
      const out = join(dir, "cli-out.flac");
      expect(await audioCommands.master?.run([inp, "-o", out, "--style", "edm", "--no-width"], o)).toBe(0);
      expect(o.outText.join("\n")).toMatch(/Integrated\s+-?\d+\.\d\s+-9\.\d\s+LUFS/);
      expect((await measure(out)).rate).toBe(44100);
      const j = io();
      expect(await audioCommands.analyze?.run([out, "--json"], j)).toBe(0);
      expect(JSON.parse(j.outText.join("")).codec).toBe("flac");
    },
    T,
  );

  it(
    "fails with one line on stderr and no output for bad input; exit 2 for usage errors",
    async () => {
      const txt = join(dir, "x.txt");
      await Bun.write(txt, "hello");
      const cases: [string[], ExitCode, RegExp][] = [
        [[join(dir, "missing.wav"), "-o", join(dir, "a.wav")], 1, /not found/],
        [[txt, "-o", join(dir, "b.wav")], 1, /Could not read/],
        [[txt, "--bogus"], 2, /unknown option --bogus/],
        [[txt, "--style", "trap", "-o", join(dir, "c.wav")], 2, /unknown style "trap"/],
        [[txt, "-o", join(dir, "d.xyz")], 2, /cannot infer a format/],
      ];
      for (const [args, code, re] of cases) {
        const o = io();
        expect(await audioCommands.master?.run(args, o)).toBe(code);
        expect(o.errText[0]).toMatch(re);
        expect(o.errText[0]).not.toMatch(/^\s+at /m);
      }
      expect(readdirSync(dir).filter((f) => /^[abcd]\.|\.part$/.test(f))).toEqual([]);
      expect(existsSync(join(dir, "x_mastered.wav"))).toBe(false);
    },
    T,
  );

  it("lists presets and styles", async () => {
    const o = io();
    expect(await audioCommands.presets?.run(["--json"], o)).toBe(0);
    expect(JSON.parse(o.outText.join("")).length).toBe(11);
    const s = io();
    expect(await audioCommands.styles?.run([], s)).toBe(0);
    expect(s.outText.length).toBe(8);
  });
});
