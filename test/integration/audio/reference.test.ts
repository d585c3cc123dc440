// Reference matching (issue 15.1) measured on generated pairs: the reference is the input through a KNOWN
// EQ (±6 dB shelves and a bell) and a KNOWN M/S width change. The delivered file is measured with the
// fixtures' own meters (an independent 1/3-octave meter and ebur128), never with the engine's.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { master } from "../../../src/audio";
import { audioCommands } from "../../../src/cli/audio";
import type { CliIo } from "../../../src/cli/types";
import { cleanup, makeMusic, makeSilence, measure, tempDir } from "../../fixtures/audio";
import { rmsDiffDb, thirdOctaveDb } from "../../fixtures/third-octave";

const FFMPEG = process.env.MM_FFMPEG ?? "ffmpeg";
const T = 240_000;

let dir = "";
let input = "";

/** The input through `af`, written as float (a boosted reference may exceed full scale). */
async function derive(name: string, af: string): Promise<string> {
  const out = join(dir, name);
  const p = Bun.spawn(
    [FFMPEG, "-hide_banner", "-nostdin", "-y", "-i", input, "-af", af, "-c:a", "pcm_f32le", out],
    {
      stdout: "ignore",
      stderr: "pipe",
    },
  );
  if ((await p.exited) !== 0) throw new Error(await new Response(p.stderr).text());
  return out;
}

beforeAll(async () => {
  dir = await tempDir();
  input = await makeMusic(dir, { durationS: 12 });
});
afterAll(() => cleanup(dir));

const PAIRS = [
  {
    name: "bright-cut lows up, width 1.4, +3 dB",
    af: "lowshelf=f=150:g=6,highshelf=f=6000:g=-6,equalizer=f=1000:t=q:w=1:g=4,extrastereo=m=1.4:c=0,volume=3dB",
    width: 1.4,
  },
  {
    name: "lows cut, highs up, bell −4 dB at 2.5 kHz, width 0.7, −2 dB",
    af: "lowshelf=f=200:g=-6,highshelf=f=5000:g=6,equalizer=f=2500:t=q:w=1.4:g=-4,extrastereo=m=0.7:c=0,volume=-2dB",
    width: 0.7,
  },
] as const;

describe("master with a reference", () => {
  for (const pair of PAIRS) {
    it(
      `matches tone, loudness and width: ${pair.name}`,
      async () => {
        const ref = await derive(`ref-${pair.width}.wav`, pair.af);
        const out = join(dir, `out-${pair.width}.wav`);
        const rep = await master(input, out, { ceiling_dbtp: -1 }, { references: [ref] });
        const [o, r, i] = await Promise.all([thirdOctaveDb(out), thirdOctaveDb(ref), thirdOctaveDb(input)]);
        const [mo, mr] = await Promise.all([measure(out), measure(ref)]);
        const mi = await measure(input);
        const residual = rmsDiffDb(o, r, 60, 12000);
        const before = rmsDiffDb(i, r, 60, 12000, true);
        console.log(
          `reference "${pair.name}": 1/3-octave residual ${residual.toFixed(2)} dB RMS 60 Hz–12 kHz (input vs reference, level removed: ${before.toFixed(2)}); I out ${mo.lufs} ref ${mr.lufs}; TP out ${mo.tp}; report ${JSON.stringify(rep.after.changes.reference?.residual)} width ×${rep.after.changes.reference?.width} passes ${rep.after.changes.reference?.chain_passes}`,
        );
        // The pair differs before matching, so the residual below is the matcher's doing.
        expect(before).toBeGreaterThan(2);
        expect(residual).toBeLessThanOrEqual(1);
        expect(Math.abs(mo.lufs - mr.lufs)).toBeLessThanOrEqual(0.3);
        expect(mo.tp).toBeLessThanOrEqual(-1);
        expect(mo.samples).toBe(mi.samples);
        const c = rep.after.changes.reference;
        expect(c?.aspects).toEqual(["tone", "loudness", "width", "dynamics"]);
        expect(Math.abs((c?.width ?? 0) - pair.width)).toBeLessThanOrEqual(0.1);
        expect(c?.loudness?.reference_lufs).toBeCloseTo(mr.lufs, 0);
        expect(rep.target_lufs).toBeCloseTo(mr.lufs, 0);
        expect(rep.after.changes.messages.map((m) => m.key)).toContain("audio_changed_reference_tone");
      },
      T,
    );
  }

  it(
    "--match loudness only: the loudness follows the reference, the tone and width stay the input's",
    async () => {
      const ref = await derive("ref-loud-only.wav", PAIRS[0].af);
      const out = join(dir, "out-loudness.wav");
      const rep = await master(
        input,
        out,
        { ceiling_dbtp: -1, style: "standard", reference: { match: ["loudness"] } },
        { references: [ref] },
      );
      const [mo, mr] = await Promise.all([measure(out), measure(ref)]);
      expect(Math.abs(mo.lufs - mr.lufs)).toBeLessThanOrEqual(0.3);
      // Tone untouched by the match: the same as a plain master at that loudness.
      const plain = join(dir, "out-plain.wav");
      await master(input, plain, { ceiling_dbtp: -1, style: "standard", target_lufs: rep.target_lufs });
      const [o, p] = await Promise.all([thirdOctaveDb(out), thirdOctaveDb(plain)]);
      expect(rmsDiffDb(o, p, 60, 12000, true)).toBeLessThan(0.2);
      const c = rep.after.changes.reference;
      expect(c?.aspects).toEqual(["loudness"]);
      expect(c?.eq).toBeNull();
      expect(c?.width).toBeNull();
      expect(c?.dynamics).toBeNull();
    },
    T,
  );

  it(
    "two references averaged with weights 3:1 land between them, nearer the heavier one",
    async () => {
      const up = await derive("ref-up.wav", "lowshelf=f=150:g=6");
      const down = await derive("ref-down.wav", "lowshelf=f=150:g=-6");
      const out = join(dir, "out-weighted.wav");
      const rep = await master(
        input,
        out,
        { ceiling_dbtp: -1, reference: { match: ["tone"], weights: [3, 1] } },
        { references: [up, down] },
      );
      const [o, i] = await Promise.all([thirdOctaveDb(out), thirdOctaveDb(input)]);
      // Low bands (60–100 Hz) relative to the 1–4 kHz region, output minus input. The references lift
      // them by +4.6 and −4.6 dB, so the 3:1 target is +2.3 dB (equal weights would be 0, the reverse −2.3);
      // the chain's 30 Hz high-pass takes ≈ 0.5 dB of the lowest band.
      const rel = (s: { hz: number[]; db: number[] }, lo: number, hi: number) => {
        const pick = (a: number, b: number) =>
          s.hz.flatMap((h, k) => (h >= a && h <= b ? [s.db[k] as number] : []));
        const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
        return mean(pick(lo, hi)) - mean(pick(1000, 4000));
      };
      const lift = rel(o, 60, 100) - rel(i, 60, 100);
      console.log(
        `weighted references 3:1 (±6 dB low shelf): low-end lift ${lift.toFixed(2)} dB (target +2.3)`,
      );
      expect(Math.abs(lift - 2.3)).toBeLessThanOrEqual(1);
      expect(rep.after.changes.reference?.weights).toEqual([0.75, 0.25]);
    },
    T,
  );

  it("refuses an unusable reference and too many references before rendering anything", async () => {
    const silent = await makeSilence(dir, { durationS: 2 });
    const out = join(dir, "never.wav");
    await expect(master(input, out, {}, { references: [silent] })).rejects.toMatchObject({
      code: "reference_unusable",
      params: { index: 1 },
    });
    await expect(master(input, out, {}, { references: [input, input, input, input] })).rejects.toMatchObject({
      code: "too_many_references",
    });
    await expect(
      master(input, out, { reference: { weights: [1, 2] } }, { references: [input] }),
    ).rejects.toMatchObject({ code: "invalid_settings" });
    expect(await Bun.file(out).exists()).toBe(false);
  });

  it(
    "magic-master master IN --reference REF --match tone,width --json reports the match; RU text has no raw keys",
    async () => {
      const ref = await derive("ref-cli.wav", PAIRS[1].af);
      const lines: string[] = [];
      const errs: string[] = [];
      const io = (lang: string): CliIo => ({
        env: { LANG: lang },
        out: (t) => lines.push(t),
        err: (t) => errs.push(t),
        isTty: false,
      });
      const out = join(dir, "cli.wav");
      const args = [input, "-o", out, "--reference", ref, "--match", "tone,width"];
      expect(await audioCommands.master?.run([...args, "--json"], io("en_US.UTF-8"))).toBe(0);
      const json = JSON.parse(lines.join("\n")) as {
        target_lufs: number;
        after: { changes: { reference: { aspects: string[]; width: number; loudness: unknown } } };
      };
      expect(json.after.changes.reference.aspects).toEqual(["tone", "width"]);
      expect(json.after.changes.reference.loudness).toBeNull();
      expect(Math.abs(json.after.changes.reference.width - 0.7)).toBeLessThanOrEqual(0.1);
      // Loudness not matched: the style's target stands.
      expect(json.target_lufs).toBe(-14);
      lines.length = 0;
      expect(await audioCommands.master?.run(args, io("ru_RU.UTF-8"))).toBe(0);
      const text = lines.join("\n");
      expect(text).toContain("Тембр по референсу");
      expect(text).not.toMatch(/\{\w+\}|audio_changed_/);
      // Usage errors: exit 2 with the reason.
      expect(await audioCommands.master?.run([input, "--match", "tone"], io("en"))).toBe(2);
      expect(errs.join("\n")).toContain("--match and --reference-weights need --reference");
      const four = ["--reference", ref, "--reference", ref, "--reference", ref, "--reference", ref];
      expect(await audioCommands.master?.run([input, ...four], io("en"))).toBe(2);
      expect(
        await audioCommands.master?.run([input, "--reference", ref, "--match", "colour"], io("en")),
      ).toBe(2);
    },
    T,
  );
});
