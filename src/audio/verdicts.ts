// Per-platform verdicts from integrated loudness and true peak: what each normalising service will
// do to the track. Pure arithmetic; messages are i18n keys with params.

import { PRESETS } from "./catalogue/presets";

export type PlatformVerdict = {
  platform: string;
  name: string;
  target_lufs: number;
  /** dB the platform's player will apply (negative = turned down). */
  change_db: number;
  verdict: "down" | "up" | "ok";
  /** i18n key + params, e.g. audio_platform_down {platform: "Spotify", db: 2.1}. */
  message: { key: string; params: Record<string, string | number> };
};

const r1 = (x: number) => Math.round(x * 10) / 10;

export function platformVerdicts(lufs: number | null, truePeak: number | null): PlatformVerdict[] {
  if (lufs === null) return [];
  return PRESETS.filter((p) => p.normalizes).map((p) => {
    let change = p.target_lufs - lufs;
    // Services that turn quiet tracks up stop at their peak ceiling; the rest never turn up.
    if (change > 0) change = p.turns_up ? Math.max(0, Math.min(change, p.ceiling_dbtp - (truePeak ?? 0))) : 0;
    const c = r1(change);
    const verdict = c <= -0.5 ? "down" : c >= 0.5 ? "up" : "ok";
    const key = `audio_platform_${verdict}`;
    return {
      platform: p.id,
      name: p.names.en,
      target_lufs: p.target_lufs,
      change_db: c,
      verdict,
      message: { key, params: { platform: p.names.en, db: Math.abs(c) } },
    };
  });
}
