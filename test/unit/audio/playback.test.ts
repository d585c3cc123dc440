import { describe, expect, it } from "bun:test";
import { PLATFORMS, platformById } from "../../../src/audio/catalogue/platforms";
import { PRESETS } from "../../../src/audio/catalogue/presets";
import { platformReport, playbackOn } from "../../../src/audio/playback";
import { hasMessage, t } from "../../../src/i18n";

const on = (id: Parameters<typeof platformById>[0], lufs: number, tp: number) =>
  playbackOn(platformById(id), lufs, tp);

describe("platform playback rules", () => {
  // [platform, file LUFS, file dBTP] → [gain dB, plays at LUFS, TP after dBTP, verdict]
  const table: [Parameters<typeof platformById>[0], number, number, number, number, number, string][] = [
    // Spotify's own example: −20 LUFS / −5 dBTP is lifted only to −16 (peak stays at −1 dBTP).
    ["spotify", -20, -5, 4, -16, -1, "turned_up_partly"],
    ["spotify", -17, -6, 3, -14, -3, "turned_up"],
    ["spotify", -14, -1, 0, -14, -1, "ok"],
    ["spotify", -9, -2.5, -5, -14, -7.5, "turned_down"],
    // Louder than −14 with a peak above −2 dBTP: Spotify's encoding-distortion advice.
    ["spotify", -9, -1.2, -5, -14, -6.2, "peak_risk"],
    // Loud mode lifts regardless of peak into a −1 dB limiter.
    ["spotify_loud", -14, -1, 3, -11, -1, "limited"],
    ["spotify_loud", -14, -6, 3, -11, -3, "turned_up"],
    ["spotify_quiet", -14, -1, -5, -19, -6, "turned_down"],
    ["spotify_quiet", -12, -1.5, -7, -19, -8.5, "peak_risk"],
    ["apple", -14, -1, -2, -16, -3, "turned_down"],
    ["apple", -20, -8, 4, -16, -4, "turned_up"],
    // Down-only services leave a quiet file as it is.
    ["youtube", -20, -5, 0, -20, -5, "quieter"],
    ["youtube", -10, -1, -4, -14, -5, "turned_down"],
    ["tidal", -18, -3, 0, -18, -3, "quieter"],
    ["deezer", -14, -1, -1, -15, -2, "turned_down"],
    ["amazon", -14, -1.5, 0, -14, -1.5, "peak_risk"],
    ["amazon", -14, -2, 0, -14, -2, "ok"],
    ["soundcloud", -9, -1, 0, -9, -1, "not_normalized"],
    ["ebu_r128", -23.4, -3, 0.4, -23, -2.6, "compliant"],
    ["ebu_r128", -22.4, -3, -0.6, -23, -3.6, "not_compliant"],
    ["ebu_r128", -23, -0.5, 0, -23, -0.5, "not_compliant"],
    ["ebu_r128", -14, -1, -9, -23, -10, "not_compliant"],
    ["atsc_a85", -25.9, -2, 1.9, -24, -0.1, "compliant"],
    ["atsc_a85", -24, -1.5, 0, -24, -1.5, "not_compliant"],
  ];
  for (const [id, lufs, tp, gain, plays, tpAfter, verdict] of table) {
    it(`${id}: ${lufs} LUFS / ${tp} dBTP → ${gain} dB, plays at ${plays}, TP ${tpAfter}, ${verdict}`, () => {
      const r = on(id, lufs, tp);
      expect(r.gain_db).toBe(gain);
      expect(r.plays_at_lufs).toBe(plays);
      expect(r.true_peak_after_dbtp).toBe(tpAfter);
      expect(r.verdict).toBe(verdict as typeof r.verdict);
    });
  }

  it("covers every platform of the brief once, each with a rule and a source", () => {
    expect(PLATFORMS.map((p) => p.id)).toEqual([
      "spotify",
      "spotify_loud",
      "spotify_quiet",
      "apple",
      "youtube",
      "amazon",
      "tidal",
      "deezer",
      "soundcloud",
      "ebu_r128",
      "atsc_a85",
    ]);
    for (const p of PLATFORMS) {
      expect(p.rule.length).toBeGreaterThan(20);
      expect(p.source).toMatch(/^https?:\/\//);
    }
  });

  it("returns nothing for an unmeasurable file and reads an unknown peak as 0 dBTP", () => {
    expect(platformReport(null, null)).toEqual([]);
    const r = platformReport(-20, null).find((p) => p.id === "spotify");
    expect(r?.gain_db).toBe(0);
    expect(r?.verdict).toBe("peak_risk");
  });

  it("has an RU and an EN sentence for every verdict, with all numbers filled in", () => {
    for (const p of platformReport(-9, -0.5).concat(platformReport(-20, -5), platformReport(-23, -3))) {
      expect(hasMessage(p.message.key)).toBe(true);
      for (const lang of ["ru", "en"] as const) {
        const text = t(lang, p.message.key, p.message.params);
        expect(text).not.toMatch(/\{\w+\}/);
        expect(text).toContain(p.name);
      }
    }
  });

  it("gives the platform presets the platform's own numbers", () => {
    const spotify = PRESETS.find((p) => p.id === "spotify");
    expect([spotify?.target_lufs, spotify?.ceiling_dbtp]).toEqual([-14, -1]);
    const ebu = PRESETS.find((p) => p.id === "ebu-r128");
    expect([ebu?.target_lufs, ebu?.ceiling_dbtp]).toEqual([-23, -1]);
    const amazon = PRESETS.find((p) => p.id === "amazon");
    expect(amazon?.ceiling_dbtp).toBe(-2);
  });
});
