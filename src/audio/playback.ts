// PURE: what each platform (catalogue/platforms.ts) will do with a file of the measured integrated
// loudness and true peak: the gain its player applies, the loudness it plays at, the true peak after,
// and a verdict with an i18n message. Always computed from the measurement of the delivered file.

import { PLATFORMS, type PlatformRule } from "./catalogue/platforms";

export const PLATFORM_VERDICTS = [
  "ok",
  "turned_down",
  "turned_up",
  "turned_up_partly",
  "quieter",
  "limited",
  "peak_risk",
  "not_normalized",
  "compliant",
  "not_compliant",
] as const;
export type PlatformVerdictId = (typeof PLATFORM_VERDICTS)[number];

export type PlatformPlayback = {
  id: string;
  name: string;
  kind: PlatformRule["kind"];
  /** null: the service does not normalise. */
  target_lufs: number | null;
  /** dB the player applies (negative = turned down); broadcast: the correction needed to comply. */
  gain_db: number;
  plays_at_lufs: number;
  true_peak_after_dbtp: number;
  verdict: PlatformVerdictId;
  /** i18n key (audio_platform_<verdict>) + params. */
  message: { key: string; params: Record<string, string | number> };
};

/** Below this a gain or shortfall is not worth a word (dB). */
const AUDIBLE_DB = 0.5;
const r1 = (x: number) => Math.round(x * 10) / 10 + 0; // + 0 turns −0 into 0

function streaming(p: PlatformRule, lufs: number, tp: number) {
  const target = p.target_lufs;
  if (target === null) {
    return { gain: 0, tpAfter: tp, verdict: "not_normalized" as PlatformVerdictId, advised: p.max_tp_dbtp };
  }
  const diff = target - lufs;
  const up = diff > 0;
  const gain =
    !up || p.turn_up === "limiter"
      ? diff
      : p.turn_up === "headroom"
        ? Math.max(0, Math.min(diff, p.headroom_dbtp - tp))
        : 0;
  // The loud mode's limiter holds sample values at headroom_dbtp; the true peak lands about there.
  const limiting = up && p.turn_up === "limiter" && tp + diff > p.headroom_dbtp;
  const tpAfter = limiting ? p.headroom_dbtp : tp + gain;
  // "Louder than −14" beyond the ±0.5 LU a master on −14 is delivered and metered with.
  const loud = p.loud_max_tp_dbtp !== undefined && lufs > (p.loud_above_lufs ?? target) + AUDIBLE_DB;
  const advised = loud ? (p.loud_max_tp_dbtp as number) : p.max_tp_dbtp;
  const short = target - (lufs + gain);
  let verdict: PlatformVerdictId;
  if (tp > advised) verdict = "peak_risk";
  else if (limiting) verdict = "limited";
  else if (gain <= -AUDIBLE_DB) verdict = "turned_down";
  else if (gain >= AUDIBLE_DB) verdict = short >= AUDIBLE_DB ? "turned_up_partly" : "turned_up";
  else verdict = short >= AUDIBLE_DB ? "quieter" : "ok";
  return { gain, tpAfter, verdict, advised };
}

/** Broadcast specs: the gain that brings the file to the target, and whether it complies as delivered. */
function broadcast(p: PlatformRule, lufs: number, tp: number) {
  const target = p.target_lufs as number;
  const ok = Math.abs(lufs - target) <= (p.tolerance_lu ?? 0) + 1e-9 && tp <= p.max_tp_dbtp;
  const verdict: PlatformVerdictId = ok ? "compliant" : "not_compliant";
  return { gain: target - lufs, tpAfter: tp + target - lufs, verdict, advised: p.max_tp_dbtp };
}

/** One platform's playback of a file at `lufs` LUFS integrated and `tp` dBTP. */
export function playbackOn(p: PlatformRule, lufs: number, tp: number): PlatformPlayback {
  const { gain, tpAfter, verdict, advised } =
    p.kind === "broadcast" ? broadcast(p, lufs, tp) : streaming(p, lufs, tp);
  const playsAt = lufs + gain;
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    target_lufs: p.target_lufs,
    gain_db: r1(gain),
    plays_at_lufs: r1(playsAt),
    true_peak_after_dbtp: r1(tpAfter),
    verdict,
    message: {
      key: `audio_platform_${verdict}`,
      params: {
        platform: p.name,
        db: Math.abs(r1(gain)),
        gain: `${gain >= 0 ? "+" : "−"}${Math.abs(r1(gain)).toFixed(1)}`,
        lufs: r1(playsAt),
        tp: r1(tpAfter),
        target: p.target_lufs ?? "—",
        file_lufs: r1(lufs),
        file_tp: r1(tp),
        max_tp: advised,
        tolerance: p.tolerance_lu ?? 0,
      },
    },
  };
}

/**
 * Every platform's playback of the measured file; [] when its loudness is undefined (silence).
 * An unknown true peak is taken as 0 dBTP (the cautious reading).
 */
export function platformReport(lufs: number | null, truePeak: number | null): PlatformPlayback[] {
  if (lufs === null) return [];
  return PLATFORMS.map((p) => playbackOn(p, lufs, truePeak ?? 0));
}
