import { describe, expect, it } from "bun:test";
import { type Analysis, resolveSettings } from "../../../src/audio";
import { whatChanged } from "../../../src/audio/changes";
import { analysisReport } from "../../../src/bot/report";

const analysis = (lufs: number, corr: number | null) =>
  ({ channels: 2, integrated_lufs: lufs, stereo_correlation: corr }) as Analysis;
const bands = new Map([
  ["b0i", { mean_db: -20, max_db: -8 }],
  ["b0o", { mean_db: -22.5, max_db: -10 }],
  ["b1i", { mean_db: -25, max_db: -12 }],
  ["b1o", { mean_db: -25, max_db: -12 }],
]);

describe("whatChanged", () => {
  const r = resolveSettings({ style: "hiphop", intensity: "low" });
  const w = whatChanged(
    r,
    {
      pre: { integrated_lufs: -18, lra_lu: 6, sample_peak_dbfs: -3, true_peak_dbfs: null },
      bands,
      rate: 44100,
    },
    { before: analysis(-20, 0.8), after: analysis(-13.1, 0.7), pre_gain_db: 2, gain: 6, ceiling: -1 },
  );
  it("takes band gain reduction from the metered RMS before/after, null where not metered", () => {
    expect(w.compression.map((b) => b.gain_reduction_db)).toEqual([2.5, 0, null, null]);
    expect(w.compression[3]?.to_hz).toBeNull();
  });
  it("derives the limiter's max (peak over the limit) and mean (loudness lost) reduction", () => {
    // Peak −3 + 6 = +3 dBFS against a limit of −1.2 → 4.2 dB; loudness −18 + 6 = −12 in, −13.1 out → 1.1 dB.
    expect(w.limiter).toEqual({ ceiling_dbtp: -1, max_gain_reduction_db: 4.2, mean_gain_reduction_db: 1.1 });
  });
  it("lists the planned moves and says each in words, shown in the bot's result analysis", () => {
    expect(w.eq.find((e) => e.band === "sub")?.gain_db).toBe(1.4);
    expect(w.width).toEqual({ factor: 1.1, correlation_before: 0.8, correlation_after: 0.7 });
    expect(w.messages[0]?.key).toBe("audio_changed_intensity_low");
    const text = analysisReport("en", "T1", { ...analysis(-13.1, 0.7), duration_s: 3, changes: w });
    expect(text).toContain("What changed:");
    expect(text).toContain("Compression (mean gain reduction per band, dB): 0–214 Hz −2.5, 214–2230 Hz 0.0");
    expect(text).toContain("Limiter (ceiling -1 dBTP): up to −4.2 dB, on average −1.1 dB");
    expect(analysisReport("ru", "T1", { ...analysis(-13.1, 0.7), duration_s: 3, changes: w })).toContain(
      "Что изменилось:",
    );
  });
});
