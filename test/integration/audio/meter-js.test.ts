// The JS meter (src/audio/meter) against ffmpeg's own ebur128 on the same samples, in one ffmpeg run:
// ebur128 (peak=true+sample, metadata=1 → 3-decimal I / LRA / linear true peaks per 100 ms frame)
// passes the float samples through to stdout, where the meter folds them. Generated signals cover
// inter-sample peaks (fs/4 at 45°, near fs/2, squares, clipped noise), gating (silence and bursts,
// quiet tails under the relative gate), levels, mono/stereo, 44.1/48 kHz, 0.3 s to 3 min; and the
// pruned true peak equals the exhaustive 192 kHz evaluation bit for bit.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { analyze } from "../../../src/audio/analyze";
import { parseEburSummaries } from "../../../src/audio/ebur128-parse";
import { asPrinted, Ebur128Meter } from "../../../src/audio/meter";
import { F32Frames } from "../../../src/audio/pcm-stats";
import { cleanup, makeMusic, makeSpeechLike, tempDir } from "../../fixtures/audio";

type Reference = { I: number; LRA: number; tp: number[]; printed: ReturnType<typeof parseEburSummaries> };

/** ffmpeg meters `input` (args) and pipes the samples to every meter in `meters`. */
async function meterBoth(input: string[], channels: 1 | 2, meters: Ebur128Meter[]): Promise<Reference> {
  const graph = `[0:a]aformat=sample_fmts=flt,ebur128@ref=peak=true+sample:metadata=1,ametadata=mode=print[out]`;
  const p = Bun.spawn(
    ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", ...input, "-filter_complex", graph].concat([
      "-map",
      "[out]",
      "-c:a",
      "pcm_f32le",
      "-f",
      "f32le",
      "pipe:1",
    ]),
    { stdout: "pipe", stderr: "pipe" },
  );
  const frames = new F32Frames(channels, (x, n) => {
    for (const m of meters) m.push(x, n);
  });
  const errText = new Response(p.stderr).text();
  for await (const chunk of p.stdout) frames.push(chunk);
  const [code, stderr] = await Promise.all([p.exited, errText]);
  if (code !== 0) throw new Error(stderr.slice(-800));
  const last = (key: string) => {
    const all = [...stderr.matchAll(new RegExp(`lavfi\\.r128\\.${key}=(\\S+)`, "g"))];
    return all.length ? Number(all[all.length - 1]?.[1]) : Number.NaN;
  };
  return {
    I: last("I"),
    LRA: last("LRA"),
    tp: Array.from({ length: channels }, (_, c) => last(`true_peaks_ch${c}`)),
    printed: parseEburSummaries(stderr),
  };
}

const lavfi = (expr: string, rate: number, d: number) => [
  "-f",
  "lavfi",
  "-i",
  `aevalsrc='${expr}':s=${rate}:d=${d}`,
];

type Case = { name: string; input: string[]; channels: 1 | 2; rate: number; exhaustive?: boolean };

const cases: Case[] = [
  // fs/4 at 45°: every sample at ±0.636, the waveform peaks at 0.9 between them (+3 dB).
  {
    name: "sine fs/4 at 45°, 44.1k stereo",
    input: lavfi("0.9*sin(2*PI*11025*t+PI/4)|0.5*sin(2*PI*11025*t)", 44100, 10),
    channels: 2,
    rate: 44100,
  },
  {
    name: "sine near fs/4, 48k mono",
    input: lavfi("0.8*sin(2*PI*11999.7*t+0.3)", 48000, 10),
    channels: 1,
    rate: 48000,
  },
  {
    name: "sines near fs/2, 44.1k stereo",
    input: lavfi("0.5*sin(2*PI*20001*t)|0.7*sin(2*PI*21000*t+1)", 44100, 10),
    channels: 2,
    rate: 44100,
  },
  {
    name: "sine near fs/2, 48k mono",
    input: lavfi("0.7*sin(2*PI*23456*t+1)", 48000, 10),
    channels: 1,
    rate: 48000,
  },
  {
    name: "square 1 kHz (Gibbs overshoot), 44.1k mono",
    input: lavfi("0.5*sgn(sin(2*PI*1000*t+0.1))", 44100, 10),
    channels: 1,
    rate: 44100,
  },
  {
    name: "square 3.1 kHz, 48k stereo",
    input: lavfi("0.9*sgn(sin(2*PI*3100*t))|0.3*sgn(sin(2*PI*310*t))", 48000, 10),
    channels: 2,
    rate: 48000,
  },
  {
    name: "clipped white noise, 44.1k stereo",
    input: lavfi("max(-0.9,min(0.9,1.6*(random(0)*2-1)))|max(-0.7,min(0.7,(random(1)*2-1)))", 44100, 30),
    channels: 2,
    rate: 44100,
  },
  ...[0.5, 0.05, 0.005].map(
    (a): Case => ({
      name: `pink noise amplitude ${a}, 48k mono`,
      input: ["-f", "lavfi", "-i", `anoisesrc=color=pink:amplitude=${a}:seed=7:r=48000:d=30`],
      channels: 1,
      rate: 48000,
    }),
  ),
  {
    // 2 s bursts every 10 s in silence (absolute gate), each followed by a burst 40 dB down (relative gate).
    name: "silence and bursts, 44.1k stereo",
    input: lavfi(
      "if(between(mod(t,10),4,6),0.3*sin(2*PI*440*t),0)+if(between(mod(t,10),7,8.5),0.003*(random(0)*2-1),0)|if(between(mod(t,10),4.5,6),0.2*sin(2*PI*660*t),0)",
      44100,
      60,
    ),
    channels: 2,
    rate: 44100,
  },
  {
    // Dynamics for LRA: 20 dB swells (16 s) under a constant floor.
    name: "swelling tone over noise, 48k stereo",
    input: lavfi(
      "(0.05+0.5*pow(sin(PI*t/16),2))*sin(2*PI*220*t)+0.01*(random(0)*2-1)|0.02*(random(1)*2-1)",
      48000,
      64,
    ),
    channels: 2,
    rate: 48000,
  },
  {
    name: "0.3 s burst (no gating block), 44.1k mono",
    input: lavfi("0.5*sin(2*PI*1000*t)", 44100, 0.3),
    channels: 1,
    rate: 44100,
  },
  {
    name: "1.05 s tone starting at full scale, 48k stereo",
    input: lavfi("0.95*cos(2*PI*5000*t)|-0.9", 48000, 1.05),
    channels: 2,
    rate: 48000,
  },
];

let dir = "";
beforeAll(async () => {
  dir = await tempDir("mm-meter-");
});
afterAll(() => cleanup(dir));

const db = (lin: number) => 20 * Math.log10(lin);

function expectMatches(ours: ReturnType<Ebur128Meter["summary"]>, ref: Reference): void {
  const printed = ref.printed.get("ref");
  if (!printed) throw new Error("no ebur128@ref summary");
  // Exact to ffmpeg's 3-decimal metadata, and the printed one-decimal summary reads the same.
  if (Number.isFinite(ref.I)) expect(Math.abs(ours.integrated_lufs - ref.I)).toBeLessThanOrEqual(0.0006);
  else expect(ours.integrated_lufs).toBe(-70);
  if (Number.isFinite(ref.LRA)) expect(Math.abs(ours.lra_lu - ref.LRA)).toBeLessThanOrEqual(0.0006);
  const p = asPrinted(ours);
  expect(p.integrated_lufs).toBe(printed.integrated_lufs);
  expect(p.lra_lu).toBe(printed.lra_lu);
  expect(p.sample_peak_dbfs).toBe(printed.sample_peak_dbfs);
  const tp = ours.true_peak_dbfs as number;
  const ffTp = printed.true_peak_dbfs as number;
  // Never lower than ffmpeg's (the ceiling guarantee), within 0.1 dB of it; the printed value agrees.
  expect(tp).toBeGreaterThanOrEqual(ffTp - 0.05 - 1e-9);
  expect(Math.abs(tp - ffTp)).toBeLessThanOrEqual(0.05 + 1e-9);
  const ffLin = Math.max(...ref.tp);
  if (ffLin >= 0.1) expect(Math.abs(10 ** (tp / 20) - ffLin)).toBeLessThanOrEqual(0.0006);
  expect(p.true_peak_dbfs).toBe(ffTp);
}

describe("JS ebur128 meter vs ffmpeg ebur128 (same samples)", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const pruned = new Ebur128Meter(c.channels, c.rate);
      const full = new Ebur128Meter(c.channels, c.rate, { exhaustive: true });
      const ref = await meterBoth(c.input, c.channels, [pruned, full]);
      const ours = pruned.summary();
      expectMatches(ours, ref);
      // The bound only skips work: the pruned true peak is the exhaustive one, to the last bit.
      expect(ours.true_peak_dbfs).toBe(full.summary().true_peak_dbfs);
    }, 120_000);
  }

  it("3 min of hot music-like stereo: matches ffmpeg and evaluates < 5 % of the 192 kHz intervals", async () => {
    const file = await makeMusic(dir, { durationS: 180, loud: true, name: "hot.wav" });
    const m = new Ebur128Meter(2, 44100);
    const ref = await meterBoth(["-i", file], 2, [m]);
    const ours = m.summary();
    expectMatches(ours, ref);
    expect(ours.true_peak_dbfs as number).toBeGreaterThan((ours.sample_peak_dbfs as number) + 1);
    expect(m.exactIntervals).toBeLessThan(0.05 * 180 * 44100 * 2);
    expect(db(10 ** ((ours.true_peak_dbfs as number) / 20))).toBeCloseTo(ours.true_peak_dbfs as number, 9);
  }, 240_000);
});

describe("analyze() with the JS meter reports what it reported with ffmpeg's ebur128", () => {
  const shapes = [
    {
      name: "quiet music, 44.1k stereo 30 s",
      make: () => makeMusic(dir, { durationS: 30, name: "q30.wav" }),
    },
    {
      name: "hot music, 48k stereo 20 s",
      make: () => makeMusic(dir, { durationS: 20, rate: 48000, loud: true }),
    },
    { name: "speech-like, 44.1k mono 12 s", make: () => makeSpeechLike(dir, { durationS: 12 }) },
  ];
  for (const s of shapes) {
    it(s.name, async () => {
      const file = await s.make();
      const [js, ff] = await Promise.all([
        analyze(file, { meter: "js" }),
        analyze(file, { meter: "ffmpeg" }),
      ]);
      expect(js.integrated_lufs).not.toBeNull();
      expect(js).toEqual(ff);
    }, 60_000);
  }
});
