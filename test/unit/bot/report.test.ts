import { describe, expect, it } from "bun:test";
import { platformReport } from "../../../src/audio";
import { platformsBrief } from "../../../src/bot/report";

describe("bot report: platforms in one line", () => {
  it("lists each platform's gain, marks peak risk and broadcast compliance, in RU and EN", () => {
    const ps = platformReport(-9, -0.5);
    const en = platformsBrief("en", ps);
    expect(en).toStartWith("Platforms, dB: ");
    expect(en).toContain("Spotify −5.0⚠");
    expect(en).toContain("Apple Music −7.0⚠");
    expect(en).toContain("SoundCloud 0");
    expect(en).toContain("EBU R128 ✗");
    expect(platformsBrief("ru", ps)).toStartWith("Платформы, дБ: ");
    expect(platformsBrief("en", platformReport(-20, -5))).toContain("Spotify +4.0,");
  });
  it("is empty when the stored analysis has no platforms", () => {
    expect(platformsBrief("en", undefined)).toBe("");
    expect(platformsBrief("en", [])).toBe("");
  });
});
