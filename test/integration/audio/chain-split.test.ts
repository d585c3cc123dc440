// The chain pass split over two ffmpeg processes (chain-run.ts): with two lanes and a long input the
// halves run side by side and are joined into one intermediate. It must be the intermediate one process
// writes — same frame count, every sample within −100 dBFS, the same limiter model and band meters — for
// the plain chain, every module and a partial mix, a resampled mono FLAC, and a file whose header claims
// more than it holds; and the two halves must really overlap in time. Denoise (afftdn's noise tracking
// reaches back over the whole file) and one lane keep one process.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { type ChainRun, chainSegments, runChain } from "../../../src/audio/chain-run";
import { observeRuns, type RunRecord } from "../../../src/audio/ffmpeg";
import { Flow } from "../../../src/audio/flow";
import { parseWavHeader } from "../../../src/audio/intermediate";
import type { ChainContext } from "../../../src/audio/plan";
import { type ProbeInfo, probe } from "../../../src/audio/probe";
import { type MasterSettings, resolveSettings } from "../../../src/audio/settings";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";

let dir = "";
let stereo = "";
let mono48 = "";
beforeAll(async () => {
  dir = await tempDir("mm-chain-split-");
  stereo = await makeMusic(dir, { durationS: 75, loud: true, name: "stereo.wav" });
  mono48 = await makeMusic(dir, {
    durationS: 70,
    rate: 48000,
    channels: 1,
    codec: "flac",
    name: "mono.flac",
  });
});
afterAll(() => cleanup(dir));

/** The samples of a float intermediate. */
async function samples(path: string): Promise<Float32Array> {
  const file = Bun.file(path);
  const w = parseWavHeader(new Uint8Array(await file.slice(0, 1 << 16).arrayBuffer()), file.size);
  if (!w) throw new Error(`no data chunk in ${path}`);
  return new Float32Array(await file.slice(w.dataOffset, w.dataOffset + w.dataBytes).arrayBuffer());
}

type Run = { chain: ChainRun; x: Float32Array; runs: RunRecord[]; path: string };

async function chainOnce(
  input: string,
  settings: MasterSettings,
  lanes: 1 | 2,
  o: { workRate?: number; info?: ProbeInfo } = {},
): Promise<Run> {
  const info = o.info ?? (await probe(input));
  const r = resolveSettings(settings);
  const ctx: ChainContext = {
    input_rate: info.sample_rate,
    work_rate: o.workRate ?? info.sample_rate,
    channels: info.channels,
    pre_gain_db: -6,
    match: null,
  };
  const out = join(dir, `chain-${lanes}-${Math.random().toString(36).slice(2)}.wav`);
  const runs: RunRecord[] = [];
  observeRuns((x) => runs.push(x));
  try {
    const chain = await runChain(new Flow({ processes: lanes }), r, ctx, input, out, info);
    return { chain, x: await samples(out), runs, path: out };
  } finally {
    observeRuns(null);
  }
}

/** Split (two lanes) against one process: the same intermediate, model and meters. */
function expectSame(split: Run, one: Run): void {
  expect(split.x.length).toBe(one.x.length);
  let worst = 0;
  for (let i = 0; i < one.x.length; i++)
    worst = Math.max(worst, Math.abs((split.x[i] ?? 0) - (one.x[i] ?? 0)));
  console.log(`largest sample difference: ${(20 * Math.log10(worst || 1e-12)).toFixed(1)} dBFS`);
  expect(worst).toBeLessThan(1e-5);
  expect(split.chain.model.loudness(0, null)).toBeCloseTo(one.chain.model.loudness(0, null), 3);
  expect(split.chain.model.peakDb()).toBeCloseTo(one.chain.model.peakDb(), 3);
  expect([...split.chain.bands.keys()].sort()).toEqual([...one.chain.bands.keys()].sort());
  for (const [name, b] of one.chain.bands) {
    const s = split.chain.bands.get(name);
    expect(s?.n).toBe(b.n);
    // volumedetect prints 0.1 dB steps: each half's mean is rounded before the two are merged.
    expect(Math.abs((s?.mean_db ?? 0) - b.mean_db)).toBeLessThanOrEqual(0.1);
  }
}

/** The chain's ffmpeg runs, and whether two of them ran at the same time. */
function chainRuns(r: Run): { count: number; overlapped: boolean } {
  const chain = r.runs.filter((x) => x.tool.endsWith("ffmpeg"));
  const [a, b] = chain;
  const overlapped = !!a && !!b && a.started_ms < b.ended_ms && b.started_ms < a.ended_ms;
  return { count: chain.length, overlapped };
}

describe("the chain pass split over two processes", () => {
  it("writes the intermediate one process writes (standard style, 75 s stereo WAV), both halves at once", async () => {
    const one = await chainOnce(stereo, { style: "standard" }, 1);
    const split = await chainOnce(stereo, { style: "standard" }, 2);
    expect(chainRuns(one).count).toBe(1);
    expect(chainRuns(split)).toEqual({ count: 2, overlapped: true });
    expectSame(split, one);
    // The joined header (RIFF, fact and data sizes) reads as the one process's does.
    const [a, b] = [await probe(split.path), await probe(one.path)];
    expect(a.duration_s).toBe(b.duration_s);
    expect(a.codec).toBe("pcm_f32le");
  }, 60_000);

  it("with every module on and a 60 % mix (transient shaper, de-esser, parallel, exciter, width)", async () => {
    const s: MasterSettings = {
      style: "edm",
      intensity: "high",
      mix: 60,
      modules: { transient: { enabled: true, attack_db: 3, sustain_db: -2 }, deesser: { enabled: true } },
    };
    const r = resolveSettings(s).modules;
    expect([r.transient, r.deesser, r.parallel, r.saturation, r.width].every((m) => m.enabled)).toBe(true);
    expectSame(await chainOnce(stereo, s, 2), await chainOnce(stereo, s, 1));
  }, 60_000);

  it("resampled: a 48 kHz mono FLAC worked at 44.1 kHz", async () => {
    const split = await chainOnce(mono48, { style: "hiphop" }, 2, { workRate: 44100 });
    expect(chainRuns(split).count).toBe(2);
    expectSame(split, await chainOnce(mono48, { style: "hiphop" }, 1, { workRate: 44100 }));
  }, 60_000);

  it("a header claiming twice the length: the second half finds nothing and the first holds it all", async () => {
    const info = await probe(stereo);
    const claimed = { ...info, duration_s: info.duration_s * 2 };
    const split = await chainOnce(stereo, { style: "standard" }, 2, { info: claimed });
    expect(chainRuns(split).count).toBe(2);
    expectSame(split, await chainOnce(stereo, { style: "standard" }, 1));
  }, 60_000);

  it("keeps one process for denoise, one lane and short inputs, and cuts past the middle otherwise", () => {
    const ctx: ChainContext = {
      input_rate: 44100,
      work_rate: 44100,
      channels: 2,
      pre_gain_db: 0,
      match: null,
    };
    const plain = resolveSettings({ style: "standard" });
    const denoise = resolveSettings({ style: "standard", modules: { denoise: { enabled: true } } });
    expect(chainSegments(denoise, ctx, 180, 2)).toBeNull();
    expect(chainSegments(plain, ctx, 180, 1)).toBeNull();
    expect(chainSegments(plain, ctx, 59, 2)).toBeNull();
    expect(chainSegments(plain, ctx, 180, 2)).toEqual([
      { from_s: 0, to_s: 93, preroll_s: 0 },
      { from_s: 93, to_s: null, preroll_s: 5 },
    ]);
  });
});
