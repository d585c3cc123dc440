// Platform and delivery presets: a loudness target AND a true-peak ceiling. `normalizes` marks the
// streaming services whose player loudness-normalises, so analysis can say what they will do.

import type { Names } from "./styles";

export type Preset = {
  id: string;
  names: Names;
  description: Names;
  target_lufs: number;
  ceiling_dbtp: number;
  /** The service normalises playback loudness (used for per-platform verdicts). */
  normalizes: boolean;
  /** The service also turns quiet tracks up (limited by its peak ceiling). */
  turns_up: boolean;
};

const p = (
  id: string,
  en: string,
  ru: string,
  target: number,
  ceiling: number,
  normalizes: boolean,
  turnsUp: boolean,
  desc: Names,
): Preset => ({
  id,
  names: { ru, en },
  description: desc,
  target_lufs: target,
  ceiling_dbtp: ceiling,
  normalizes,
  turns_up: turnsUp,
});

const stream = (lufs: number, tp: number): Names => ({
  ru: `Нормализация стриминга: ${lufs} LUFS, пик ${tp} dBTP`,
  en: `Streaming normalisation: ${lufs} LUFS, peak ${tp} dBTP`,
});

export const PRESETS = [
  p("spotify", "Spotify", "Spotify", -14, -1, true, true, stream(-14, -1)),
  p("apple", "Apple Music", "Apple Music", -16, -1, true, true, stream(-16, -1)),
  p("youtube", "YouTube", "YouTube", -14, -1, true, false, stream(-14, -1)),
  p("amazon", "Amazon Music", "Amazon Music", -14, -2, true, true, stream(-14, -2)),
  p("tidal", "Tidal", "Tidal", -14, -1, true, false, stream(-14, -1)),
  p("deezer", "Deezer", "Deezer", -15, -1, true, false, stream(-15, -1)),
  p("soundcloud", "SoundCloud", "SoundCloud", -14, -1, true, false, stream(-14, -1)),
  p("club", "Club", "Клуб", -9, -0.3, false, false, { ru: "Громкий клубный мастер", en: "Loud club master" }),
  p("podcast", "Podcast", "Подкаст", -16, -1, false, false, {
    ru: "Подкасты и речь",
    en: "Podcasts and speech",
  }),
  p("ebu-r128", "EBU R128", "EBU R128", -23, -1, false, false, {
    ru: "Вещание (Европа)",
    en: "Broadcast (Europe)",
  }),
  p("atsc-a85", "ATSC A/85", "ATSC A/85", -24, -2, false, false, {
    ru: "Вещание (США)",
    en: "Broadcast (US)",
  }),
] as const satisfies readonly Preset[];

export type PresetId = (typeof PRESETS)[number]["id"];
export const PRESET_IDS = PRESETS.map((x) => x.id) as [PresetId, ...PresetId[]];

export function presetById(id: PresetId): Preset {
  return PRESETS.find((x) => x.id === id) as Preset;
}
