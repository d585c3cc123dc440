import { describe, expect, it } from "bun:test";
import { FORMATS, PRESETS, resolveSettings, STYLES } from "../../../src/audio";
import { AppError } from "../../../src/errors";
import { hasMessage } from "../../../src/i18n";

const fails = (s: unknown) => {
  try {
    resolveSettings(s as Parameters<typeof resolveSettings>[0]);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).params.details as string;
  }
  throw new Error("expected invalid_settings");
};

describe("resolveSettings", () => {
  it("defaults to the standard style at −14 LUFS / −1 dBTP, 24-bit WAV", () => {
    const r = resolveSettings({});
    expect([r.style.id, r.target_lufs, r.ceiling_dbtp, r.format.id, r.sample_rate]).toEqual([
      "standard",
      -14,
      -1,
      "wav24",
      "keep",
    ]);
  });
  it("takes explicit > preset > style", () => {
    expect(resolveSettings({ style: "edm", preset: "club" }).ceiling_dbtp).toBe(-0.3);
    expect(resolveSettings({ style: "edm", preset: "apple" }).target_lufs).toBe(-16);
    expect(resolveSettings({ preset: "apple", target_lufs: -12 }).target_lufs).toBe(-12);
  });
  it("rejects an unknown style with the list of valid ones (never silently standard)", () => {
    expect(fails({ style: "trap" })).toContain('unknown style "trap"');
  });
  it("rejects targets and ceilings outside −30…−6 LUFS and −3…−0.1 dBTP", () => {
    expect(fails({ target_lufs: -31 })).toContain("between -30 and -6");
    expect(fails({ ceiling_dbtp: 0 })).toContain("between -3 and -0.1");
    expect(fails({ bitrate: 320 })).toContain("only to mp3");
    expect(fails({ format: "mp3", bitrate: 64 })).toContain("128–320");
  });
  it("renders lossy formats under the requested ceiling (−1.5, or −2.0 at ≤ 128 kbps)", () => {
    expect(resolveSettings({ format: "mp3" }).render_ceiling_dbtp).toBe(-1.5);
    expect(resolveSettings({ format: "mp3", bitrate: 128 }).render_ceiling_dbtp).toBe(-2);
    expect(resolveSettings({ format: "flac24" }).render_ceiling_dbtp).toBe(-1);
  });
  it("lists the eight styles and eleven presets with the issue's numbers", () => {
    expect(STYLES.map((s) => s.id)).toEqual([
      "standard",
      "edm",
      "hiphop",
      "classical",
      "podcast",
      "lofi",
      "house",
      "dry_vocal",
    ]);
    const p = Object.fromEntries(PRESETS.map((x) => [x.id, [x.target_lufs, x.ceiling_dbtp]]));
    expect(p).toEqual({
      spotify: [-14, -1],
      apple: [-16, -1],
      youtube: [-14, -1],
      amazon: [-14, -2],
      tidal: [-14, -1],
      deezer: [-15, -1],
      soundcloud: [-14, -1],
      club: [-9, -0.3],
      podcast: [-16, -1],
      "ebu-r128": [-23, -1],
      "atsc-a85": [-24, -2],
    });
    expect(FORMATS.map((f) => f.id)).toEqual([
      "wav16",
      "wav24",
      "wav32f",
      "flac16",
      "flac24",
      "mp3",
      "aac",
      "opus",
    ]);
  });
  it("has RU and EN messages for every error code the engine throws", () => {
    for (const code of [
      "audio_silent",
      "audio_too_short",
      "audio_unreadable",
      "audio_file_missing",
      "no_audio_stream",
      "invalid_settings",
      "ffmpeg_failed",
      "ffmpeg_missing",
      "cancelled",
      "timeout",
    ])
      expect(hasMessage(code)).toBe(true);
  });
});
