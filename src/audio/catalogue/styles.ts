// Mastering styles as data: loudness target, tonal intent (5-band EQ) and how hard each module works.
// Targets and EQ come from the original (audio-dsp.md §1.4). Its unused `comp_mult` is made real here:
// it scales every multiband ratio above 1:1. Its multiband make-up tilt is dropped (a hidden EQ).

export type Names = { ru: string; en: string };

export type StyleEq = { sub: number; bass: number; mids: number; presence: number; air: number };

export type Style = {
  id: string;
  /** Other names accepted for this style: the original's ids where they differ from ours. */
  aliases: readonly string[];
  names: Names;
  description: Names;
  target_lufs: number;
  ceiling_dbtp: number;
  /** dB per band: sub 30–90 Hz, bass 90–280, mids 0.7–2.8 kHz, presence 2.8–9 kHz, air > 10 kHz. */
  eq: StyleEq;
  /** Multiplies (ratio − 1) of every multiband compressor: 1 = reference, 0.45 = gentle. */
  compression: number;
  /** Harmonic exciter amount above 6 kHz, dB (0 = off). */
  exciter_db: number;
  /** Stereo width in M/S (1 = unchanged). */
  width: number;
  /** Parallel compression blend 0–1 (0 = off). */
  parallel_mix: number;
  /** High-pass corner for DC/rumble, Hz. */
  highpass_hz: number;
  deesser: boolean;
};

const flat: StyleEq = { sub: 0, bass: 0, mids: 0, presence: 0, air: 0 };

export const STYLES = [
  {
    id: "standard",
    aliases: [],
    names: { ru: "Стриминг", en: "Stream" },
    description: { ru: "Нейтральный мастер для стриминга", en: "Neutral master for streaming" },
    target_lufs: -14,
    ceiling_dbtp: -1,
    eq: flat,
    compression: 1,
    exciter_db: 0,
    width: 1,
    parallel_mix: 0,
    highpass_hz: 30,
    deesser: false,
  },
  {
    id: "edm",
    aliases: [],
    names: { ru: "EDM", en: "EDM" },
    description: {
      ru: "Громко и плотно: больше низа и воздуха, шире стерео",
      en: "Loud and dense: more sub and air, wider stereo",
    },
    target_lufs: -9,
    ceiling_dbtp: -1,
    eq: { sub: 1.8, bass: 0.9, mids: -0.3, presence: 0.6, air: 0.9 },
    compression: 1.3,
    exciter_db: 0.6,
    width: 1.25,
    parallel_mix: 0.3,
    highpass_hz: 25,
    deesser: false,
  },
  {
    id: "hiphop",
    aliases: [],
    names: { ru: "Хип-хоп", en: "Hip-hop" },
    description: { ru: "Плотный низ и разборчивый вокал", en: "Solid low end and a clear vocal" },
    target_lufs: -13,
    ceiling_dbtp: -1,
    eq: { sub: 1.4, bass: 0.7, mids: 0.5, presence: 0.3, air: 0.2 },
    compression: 1.2,
    exciter_db: 0.3,
    width: 1.1,
    parallel_mix: 0.35,
    highpass_hz: 25,
    deesser: false,
  },
  {
    id: "classical",
    aliases: [],
    names: { ru: "Классика", en: "Classical" },
    description: { ru: "Сохраняет динамику, лёгкий воздух", en: "Keeps the dynamics, a touch of air" },
    target_lufs: -18,
    ceiling_dbtp: -1,
    eq: { sub: -0.5, bass: 0, mids: 0, presence: 0.3, air: 0.6 },
    compression: 0.45,
    exciter_db: 0,
    width: 1.05,
    parallel_mix: 0,
    highpass_hz: 20,
    deesser: false,
  },
  {
    id: "podcast",
    aliases: [],
    names: { ru: "Подкаст", en: "Podcast" },
    description: {
      ru: "Разборчивая речь: меньше гула, больше присутствия",
      en: "Clear speech: less rumble, more presence",
    },
    target_lufs: -16,
    ceiling_dbtp: -1,
    eq: { sub: -1.2, bass: -0.4, mids: 0.9, presence: 0.7, air: 0 },
    compression: 1.1,
    exciter_db: 0,
    width: 1,
    parallel_mix: 0.2,
    highpass_hz: 70,
    deesser: true,
  },
  {
    id: "lofi",
    aliases: [],
    names: { ru: "Lo-fi", en: "Lo-fi" },
    description: { ru: "Тёплый, мягкий верх, узкое стерео", en: "Warm, soft top end, narrower stereo" },
    target_lufs: -18,
    ceiling_dbtp: -1,
    eq: { sub: 0.4, bass: 0.6, mids: -0.6, presence: -1, air: -1.8 },
    compression: 0.65,
    exciter_db: 0.2,
    width: 0.9,
    parallel_mix: 0,
    highpass_hz: 30,
    deesser: false,
  },
  {
    id: "house",
    aliases: ["house_basic"],
    names: { ru: "Хаус", en: "House" },
    description: {
      ru: "Эксайтер и расширение стерео, клубная плотность",
      en: "Exciter and wider stereo, club density",
    },
    target_lufs: -10,
    ceiling_dbtp: -1,
    eq: { sub: 1.8, bass: 0.9, mids: -0.5, presence: 0.8, air: 1 },
    compression: 1.35,
    exciter_db: 0.8,
    width: 1.3,
    parallel_mix: 0.3,
    highpass_hz: 25,
    deesser: false,
  },
  {
    id: "dry_vocal",
    aliases: [],
    names: { ru: "Сухой вокал", en: "Dry vocal" },
    description: { ru: "Ровно, камерный вокал, мягкий де-эссер", en: "Flat, chamber vocal, gentle de-esser" },
    target_lufs: -14,
    ceiling_dbtp: -1,
    eq: flat,
    compression: 1,
    exciter_db: 0,
    width: 1,
    parallel_mix: 0,
    highpass_hz: 40,
    deesser: true,
  },
] as const satisfies readonly Style[];

export type StyleId = (typeof STYLES)[number]["id"];
export const STYLE_IDS = STYLES.map((s) => s.id) as [StyleId, ...StyleId[]];

/** The style id a name stands for: an id as is, an alias (e.g. the original's `house_basic`) as its id. */
export function canonicalStyleName(name: string): string {
  return STYLES.find((s) => s.id === name || (s.aliases as readonly string[]).includes(name))?.id ?? name;
}

/** The style with `id` (ids are validated by the settings schema before this is called). */
export function styleById(id: StyleId): Style {
  return STYLES.find((s) => s.id === id) as Style;
}
