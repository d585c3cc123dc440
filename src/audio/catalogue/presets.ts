// Platform and delivery presets: a loudness target AND a true-peak ceiling. A platform's preset takes
// its numbers from the platform rules (platforms.ts), so each number is kept in one place.

import { type PlatformId, platformById } from "./platforms";
import type { Names } from "./styles";

export type Preset = {
  id: string;
  names: Names;
  description: Names;
  target_lufs: number;
  ceiling_dbtp: number;
};

const p = <I extends string>(
  id: I,
  en: string,
  ru: string,
  target: number,
  ceiling: number,
  desc: Names,
): Preset & { id: I } => ({
  id,
  names: { ru, en },
  description: desc,
  target_lufs: target,
  ceiling_dbtp: ceiling,
});

/** A platform's preset: its playback target and advised true-peak ceiling. */
const of = <I extends string>(id: I, platform: PlatformId, ru: string, desc?: Names) => {
  const r = platformById(platform);
  const target = r.target_lufs ?? -14;
  return p(id, r.name, ru, target, r.max_tp_dbtp, desc ?? stream(target, r.max_tp_dbtp));
};

const stream = (lufs: number, tp: number): Names => ({
  ru: `Нормализация стриминга: ${lufs} LUFS, пик ${tp} dBTP`,
  en: `Streaming normalisation: ${lufs} LUFS, peak ${tp} dBTP`,
});

export const PRESETS = [
  of("spotify", "spotify", "Spotify"),
  of("apple", "apple", "Apple Music"),
  of("youtube", "youtube", "YouTube"),
  of("amazon", "amazon", "Amazon Music"),
  of("tidal", "tidal", "Tidal"),
  of("deezer", "deezer", "Deezer"),
  // SoundCloud does not normalise (platforms.ts); −14 LUFS is the common streaming level.
  p("soundcloud", "SoundCloud", "SoundCloud", -14, -1, stream(-14, -1)),
  p("club", "Club", "Клуб", -9, -0.3, { ru: "Громкий клубный мастер", en: "Loud club master" }),
  p("podcast", "Podcast", "Подкаст", -16, -1, { ru: "Подкасты и речь", en: "Podcasts and speech" }),
  of("ebu-r128", "ebu_r128", "EBU R128", { ru: "Вещание (Европа)", en: "Broadcast (Europe)" }),
  of("atsc-a85", "atsc_a85", "ATSC A/85", { ru: "Вещание (США)", en: "Broadcast (US)" }),
] as const satisfies readonly Preset[];

export type PresetId = (typeof PRESETS)[number]["id"];
export const PRESET_IDS = PRESETS.map((x) => x.id) as [PresetId, ...PresetId[]];

export function presetById(id: PresetId): Preset {
  return PRESETS.find((x) => x.id === id) as Preset;
}
