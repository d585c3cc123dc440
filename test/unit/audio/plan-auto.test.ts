// The auto-style rules on hand-set features: each rule fires on its own evidence, in order.
import { describe, expect, it } from "bun:test";
import { type AutoFeatures, pickStyle } from "../../../src/audio/plan-auto";

const music: AutoFeatures = {
  voice_share: 0.2,
  low_end_db: -2.1,
  tilt_db_per_oct: -3,
  crest_db: 16,
  lra_lu: 8,
  pause_ratio: 0,
};

describe("pickStyle", () => {
  it("follows the documented rules", () => {
    expect(pickStyle(music).style).toBe("standard");
    expect(pickStyle({ ...music, pause_ratio: 0.3, low_end_db: -30, voice_share: 0.5 }).style).toBe(
      "podcast",
    );
    // Pauses alone (a dynamic piece with quiet passages and real bass) are not speech.
    expect(pickStyle({ ...music, pause_ratio: 0.3, lra_lu: 20 }).style).toBe("classical");
    expect(pickStyle({ ...music, lra_lu: 7.5, crest_db: 21 }).style).toBe("classical");
    expect(pickStyle({ ...music, low_end_db: -0.3, crest_db: 9 }).style).toBe("edm");
    expect(pickStyle({ ...music, low_end_db: -0.3, crest_db: 15 }).style).toBe("hiphop");
    expect(pickStyle({ ...music, tilt_db_per_oct: 3 }).style).toBe("lofi");
  });
});
