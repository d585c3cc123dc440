import { describe, expect, it } from "bun:test";
import { resolveSettings } from "../../../src/audio";
import { frames100ms } from "../../../src/audio/frames";
import {
  chainGraph,
  limiter,
  planChainPass,
  planFinalPass,
  planPreviewPass,
  planSearchPass,
  preGainDb,
  tagArgs,
  workRate,
} from "../../../src/audio/plan";

const ctx = { input_rate: 44100, work_rate: 44100, channels: 2, pre_gain_db: 1.5 };
const final = (settings: Parameters<typeof resolveSettings>[0]) =>
  planFinalPass(resolveSettings(settings), {
    intermediate: "in.wav",
    output: "out.part",
    gain_db: 3,
    ceiling_db: -1,
    rate: 44100,
    tags: [],
  }).join(" ");

describe("limiter", () => {
  it("runs alimiter with level=0 latency=1 between 4x soxr resamplers at ceiling − 0.2 dB", () => {
    const l = limiter(-1, 44100, 4);
    expect(l).toMatch(
      /^aresample=176400:resampler=soxr,alimiter=limit=0\.870964:.*level=0:latency=1,aresample=44100:resampler=soxr$/,
    );
  });
  it("never asks alimiter for less than its 0.0625 floor", () => {
    expect(limiter(-40, 48000, 1)).toContain("limit=0.0625:");
  });
});

describe("chainGraph", () => {
  const standard = resolveSettings({}).modules;
  it("gain-stages, high-passes and splits into a 4-band compressor summed with amix normalize=0", () => {
    const g = chainGraph(standard, ctx, "0:a", "chain");
    expect(g).toContain("volume=1.5dB");
    expect(g).toContain("highpass=f=30:p=2,highpass=f=30:p=2");
    expect(g).toContain("acrossover=split=214|2230|10000:order=4th[mb0][mb1][mb2][mb3]");
    expect(g.match(/acompressor=/g)?.length).toBe(4);
    expect(g).toContain("amix=inputs=4:normalize=0");
    expect(g).not.toMatch(/clip|asoftclip/);
  });
  it("drops every switched-off module", () => {
    const off = resolveSettings({
      style: "edm",
      modules: {
        highpass: { enabled: false },
        eq: { enabled: false },
        multiband: { enabled: false },
        parallel: { enabled: false },
        saturation: { enabled: false },
        width: { enabled: false },
      },
    }).modules;
    const g = chainGraph(off, ctx, "0:a", "chain");
    expect(g).not.toMatch(/highpass|equalizer|acrossover|acompressor|aexciter|extrastereo|amix/);
  });
  it("adds the style's modules: edm gets parallel compression, exciter and M/S width", () => {
    const g = chainGraph(resolveSettings({ style: "edm" }).modules, ctx, "0:a", "chain");
    expect(g).toContain("acompressor=threshold=-20dB:ratio=8");
    expect(g).toContain("mix=0.3");
    expect(g).toContain("aexciter=");
    expect(g).toContain("extrastereo=m=1.25:c=0");
    expect(g).toContain("equalizer=f=52:t=o:w=1.585:g=1.8");
  });
  it("keeps mono mono: no width stage for one channel", () => {
    const g = chainGraph(resolveSettings({ style: "edm" }).modules, { ...ctx, channels: 1 }, "0:a", "chain");
    expect(g).not.toContain("extrastereo");
    expect(g).not.toContain("channel_layouts=stereo");
  });
  it("resamples with soxr first when the output rate differs", () => {
    const g = chainGraph(standard, { ...ctx, work_rate: 48000 }, "0:a", "chain");
    expect(g.indexOf("aresample=48000:resampler=soxr")).toBeLessThan(g.indexOf("volume="));
  });
  it("turns de-esser and denoiser on when asked", () => {
    const g = chainGraph(
      resolveSettings({ modules: { denoise: { enabled: true }, deesser: { enabled: true } } }).modules,
      ctx,
      "0:a",
      "c",
    );
    expect(g).toContain("afftdn=nr=6");
    expect(g).toContain("adynamicequalizer=threshold=0.02");
  });
});

describe("planFinalPass", () => {
  it("dithers (TPDF) only when reducing to 16 bit", () => {
    expect(final({ format: "wav16" })).toContain("aresample=osf=s16:dither_method=triangular");
    expect(final({ format: "flac16" })).toContain("dither_method=triangular");
    for (const f of ["wav24", "wav32f", "flac24", "mp3", "aac", "opus"] as const)
      expect(final({ format: f })).not.toContain("dither");
    expect(final({ format: "wav16", modules: { dither: { enabled: false } } })).not.toContain("dither");
  });
  it("feeds float to lossy encoders with the right codec and bitrate", () => {
    expect(final({ format: "mp3", bitrate: 128 })).toContain("-c:a libmp3lame -b:a 128k");
    expect(final({ format: "mp3", bitrate: "v0" })).toContain("-q:a 0");
    expect(final({ format: "aac" })).toContain("-c:a aac -b:a 256k");
    expect(final({ format: "opus" })).toContain("-c:a libopus -b:a 192k -f ogg");
    expect(final({ format: "flac24" })).toContain("-c:a flac -sample_fmt s32");
  });
  it("applies the final gain before the 4x limiter, on 100 ms frames", () => {
    expect(final({})).toContain(
      "[0:a]asetnsamples=n=4410:p=0,volume=3dB,aresample=176400:resampler=soxr,alimiter=",
    );
  });
});

describe("search and chain passes", () => {
  it("meters every candidate gain in one invocation, by instance name", () => {
    const a = planSearchPass("i.wav", [1, 2, 3], -1).join(" ");
    expect(a).toContain("asplit=3[s0][s1][s2]");
    expect(a).toContain("ebur128@c0=framelog=verbose[out]");
    expect(a).toContain("ebur128@c2=framelog=verbose,anullsink");
  });
  it("previews by decoding only pre-roll + excerpt and metering input and chain over the excerpt", () => {
    const a = planPreviewPass(
      resolveSettings({}),
      ctx,
      "in.wav",
      "x.wav",
      { start_s: 60, duration_s: 30 },
      [1, 2],
    ).join(" ");
    expect(a.startsWith("-ss 55 -t 35 -i in.wav")).toBe(true);
    expect(a).toContain("atrim=start=5,asetpts=PTS-STARTPTS,ebur128@in=");
    expect(a).toContain("ebur128@pre=peak=sample:framelog=verbose,asplit=3[xo][s0][s1]");
    expect(a).toContain("ebur128@c1=framelog=verbose,anullsink");
    expect(a).toContain("-map [xo] -c:a pcm_f32le -f wav -y x.wav");
    // No pre-roll before the start of the file.
    const b = planPreviewPass(
      resolveSettings({}),
      ctx,
      "in.wav",
      "x.wav",
      { start_s: 2, duration_s: 30 },
      [1],
    );
    expect(b.slice(0, 4)).toEqual(["-ss", "0", "-t", "32"]);
  });
  it("writes a 32-bit float intermediate as its only output, no meter in the graph (the limiter model folds the file)", () => {
    const a = planChainPass(resolveSettings({}), ctx, "in.flac", "x.wav").join(" ");
    expect(a).not.toContain("ebur128");
    expect(a).not.toContain("pipe:1");
    expect(a.endsWith("-map [chain] -c:a pcm_f32le -f wav -y x.wav")).toBe(true);
  });
});

describe("helpers", () => {
  it("clamps gain staging to ±20 dB", () => {
    expect(preGainDb(-70)).toBe(20);
    expect(preGainDb(-3)).toBe(-15);
  });
  it("bends the rate to what the encoder accepts", () => {
    expect(workRate(resolveSettings({ format: "opus" }), 44100)).toBe(48000);
    expect(workRate(resolveSettings({ format: "mp3" }), 96000)).toBe(48000);
    expect(workRate(resolveSettings({ sample_rate: 48000 }), 44100)).toBe(48000);
    expect(workRate(resolveSettings({}), 96000)).toBe(96000);
  });
  it("writes an encoded-by comment and maps year to date", () => {
    const t = tagArgs({ title: "Old", encoder: "x" }, { year: "2024" }, "1.2.3");
    expect(t).toEqual([
      "-metadata",
      "title=Old",
      "-metadata",
      "date=2024",
      "-metadata",
      "comment=Encoded by Magic Master 1.2.3",
      "-metadata",
      "encoded_by=Magic Master 1.2.3",
    ]);
  });
});

describe("frames100ms", () => {
  it("regroups into rate/10 frames, never more than ebur128's 19 200-sample true-peak buffer at 192 kHz holds", () => {
    expect(frames100ms(44100)).toBe("asetnsamples=n=4410:p=0");
    for (const rate of [8000, 11025, 22050, 32000, 44100, 48000, 88200, 96000, 192000]) {
      const n = Number(/n=(\d+)/.exec(frames100ms(rate))?.[1]);
      expect(n * (192000 / rate)).toBeLessThanOrEqual(19200);
      expect(n).toBeGreaterThanOrEqual(rate / 10 - 1);
    }
  });
});
