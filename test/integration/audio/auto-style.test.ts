// style=auto (issue 15.4) on generated signals: speech-like → podcast, bass-heavy → edm, dynamic
// orchestral-like → classical, the §5.2 music mix → standard. Each master lands on the CHOSEN style's
// target under the ceiling (measured on the written file by the fixtures' ebur128), and the report says
// which style and why, in RU and EN.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { master, STYLES } from "../../../src/audio";
import { t } from "../../../src/i18n";
import {
  cleanup,
  makeBassHeavy,
  makeMusic,
  makeOrchestral,
  makeSpeechLike,
  measure,
  tempDir,
} from "../../fixtures/audio";

let dir = "";
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => cleanup(dir));

const CASES = [
  {
    name: "speech-like",
    make: () => makeSpeechLike(dir, { durationS: 12 }),
    style: "podcast",
    reason: "speech",
  },
  {
    name: "bass-heavy",
    make: () => makeBassHeavy(dir, { durationS: 12 }),
    style: "edm",
    reason: "bass_dense",
  },
  {
    name: "dynamic orchestral-like",
    make: () => makeOrchestral(dir, { durationS: 24 }),
    style: "classical",
    reason: "dynamic",
  },
  { name: "music mix", make: () => makeMusic(dir, { durationS: 12 }), style: "standard", reason: "balanced" },
] as const;

describe("style=auto", () => {
  for (const c of CASES) {
    it(`picks ${c.style} for a ${c.name} signal, says why, and masters to that style's target`, async () => {
      const input = await c.make();
      const out = join(dir, `auto-${c.style}.wav`);
      const rep = await master(input, out, { style: "auto" });
      const chosen = STYLES.find((s) => s.id === c.style);
      const m = await measure(out);
      const a = rep.after.changes.auto_style;
      console.log(
        `auto ${c.name}: ${rep.style} (${a?.reason}) ${JSON.stringify(a?.features)}; I ${m.lufs} (target ${rep.target_lufs}), TP ${m.tp}`,
      );
      expect(rep.style).toBe(c.style);
      expect(a?.style).toBe(c.style);
      expect(a?.reason).toBe(c.reason);
      expect(rep.target_lufs).toBe(chosen?.target_lufs as number);
      expect(Math.abs(m.lufs - rep.target_lufs)).toBeLessThanOrEqual(0.3);
      expect(m.tp).toBeLessThanOrEqual(rep.ceiling_dbtp);
      const msg = rep.after.changes.messages[0];
      expect(msg?.key).toBe(`audio_auto_${c.reason}`);
      for (const lang of ["ru", "en"] as const) {
        const text = t(lang, msg?.key as string, msg?.params);
        expect(text).toContain(chosen?.names[lang] as string);
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }, 180_000);
  }
});
