// What a caller may ask for (zod schema, everything optional) and how style + preset + custom values
// resolve into one concrete set of numbers. Precedence: explicit value > preset > style.

import { z } from "zod";
import { AppError } from "../errors";
import { PRESET_IDS, type Preset, type PresetId, presetById } from "./catalogue/presets";
import { STYLE_IDS, type Style, type StyleEq, type StyleId, styleById } from "./catalogue/styles";
import { FORMAT_IDS, type Format, type FormatId, formatById, renderCeiling } from "./formats";
import { MATCH_ASPECTS, MAX_REFERENCES, type MatchAspect } from "./plan-match";

const oneOf = (what: string, ids: readonly string[]) => (iss: { input?: unknown }) =>
  `unknown ${what} "${String(iss.input)}" (expected one of: ${ids.join(", ")})`;

const toggle = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject({ enabled: z.boolean().optional(), ...shape });

export const ModulesSchema = z.strictObject({
  highpass: toggle({ freq_hz: z.number().min(10).max(200).optional() }).optional(),
  denoise: toggle({ reduction_db: z.number().min(1).max(30).optional() }).optional(),
  deesser: toggle({ threshold: z.number().min(0.001).max(1).optional() }).optional(),
  eq: toggle({}).optional(),
  multiband: toggle({
    amount: z.number().min(0).max(3).optional(),
    /** dB added to every band's threshold (negative = more compression). */
    threshold_offset_db: z.number().min(-12).max(12).optional(),
    /** Multiplies every band's attack time (< 1 catches transients, > 1 lets them through). */
    attack_scale: z.number().min(0.05).max(5).optional(),
  }).optional(),
  transient: toggle({
    attack_db: z.number().min(-12).max(12).optional(),
    sustain_db: z.number().min(-12).max(12).optional(),
  }).optional(),
  parallel: toggle({ mix: z.number().min(0).max(1).optional() }).optional(),
  saturation: toggle({ amount_db: z.number().min(0).max(6).optional() }).optional(),
  width: toggle({ width: z.number().min(0).max(2).optional() }).optional(),
  dither: toggle({}).optional(),
});

export const MODULE_IDS = Object.keys(ModulesSchema.shape) as (keyof z.infer<typeof ModulesSchema>)[];
export type ModuleId = (typeof MODULE_IDS)[number];

const tag = z.string().max(500).optional();

export const INTENSITIES = ["low", "medium", "high"] as const;
export type Intensity = (typeof INTENSITIES)[number];

/**
 * How hard a style works, LANDR-style. `medium` is the style as written (today's sound). The others scale
 * the style's compression (ratio − 1 and the band thresholds), parallel compression, exciter and the
 * limiter's release: at a fixed loudness target the limiter cannot be driven louder, so "drive" is a
 * faster release (denser) and more compression before it. Explicit module values are never scaled.
 * `low` keeps medium's 60 ms release: a slower one holds the gain down longer on loud material, and at
 * club targets (edm −9, house −10) that made low denser than medium (LRA 3.6 vs 3.9 LU). `high` saturates
 * every style at least a little (`saturation_floor_db`), also those written without any (standard,
 * classical, podcast, dry vocal): their low and medium stay clean.
 */
export const INTENSITY = {
  low: {
    compression: 0.5,
    threshold_offset_db: 3,
    attack_scale: 2,
    parallel: 0.5,
    saturation: 0.5,
    saturation_floor_db: 0,
    limiter_release_ms: 60,
  },
  medium: {
    compression: 1,
    threshold_offset_db: 0,
    attack_scale: 1,
    parallel: 1,
    saturation: 1,
    saturation_floor_db: 0,
    limiter_release_ms: 60,
  },
  high: {
    compression: 2.2,
    threshold_offset_db: -6,
    attack_scale: 0.1,
    parallel: 1.5,
    saturation: 1.5,
    saturation_floor_db: 0.3,
    limiter_release_ms: 30,
  },
} as const satisfies Record<Intensity, Record<string, number>>;

export const MasterSettingsSchema = z
  .strictObject({
    /** "auto": chosen from the input's analysis (plan-auto.ts) before anything else resolves. */
    style: z.enum([...STYLE_IDS, "auto"], { error: oneOf("style", [...STYLE_IDS, "auto"]) }).optional(),
    preset: z.enum(PRESET_IDS, { error: oneOf("preset", PRESET_IDS) }).optional(),
    target_lufs: z
      .number({ error: "target_lufs must be a number" })
      .min(-30, "target_lufs must be between -30 and -6 LUFS")
      .max(-6, "target_lufs must be between -30 and -6 LUFS")
      .optional(),
    ceiling_dbtp: z
      .number({ error: "ceiling_dbtp must be a number" })
      .min(-3, "ceiling_dbtp must be between -3 and -0.1 dBTP")
      .max(-0.1, "ceiling_dbtp must be between -3 and -0.1 dBTP")
      .optional(),
    format: z.enum(FORMAT_IDS, { error: oneOf("format", FORMAT_IDS) }).optional(),
    bitrate: z.union([z.number().int(), z.literal("v0")]).optional(),
    sample_rate: z
      .union([z.literal("keep"), z.literal(44100), z.literal(48000)], {
        error: 'sample_rate must be "keep", 44100 or 48000',
      })
      .optional(),
    intensity: z.enum(INTENSITIES, { error: oneOf("intensity", INTENSITIES) }).optional(),
    /** Dry/wet of the processing before the final gain stage, percent (100 = fully processed). */
    mix: z
      .number({ error: "mix must be a number" })
      .min(0, "mix must be between 0 and 100 %")
      .max(100, "mix must be between 0 and 100 %")
      .optional(),
    modules: ModulesSchema.optional(),
    /**
     * Reference matching (the reference files themselves travel beside the settings): which aspects to
     * match (default all) and the references' weights in upload order (default equal).
     */
    reference: z
      .strictObject({
        match: z
          .array(z.enum(MATCH_ASPECTS, { error: oneOf("match aspect", MATCH_ASPECTS) }))
          .min(1, "match needs at least one aspect")
          .optional(),
        weights: z
          .array(z.number().positive("weights must be > 0").max(100, "weights must be ≤ 100"))
          .min(1)
          .max(MAX_REFERENCES, `at most ${MAX_REFERENCES} references`)
          .optional(),
      })
      .optional(),
    tags: z
      .strictObject({ title: tag, artist: tag, album: tag, year: tag, genre: tag, comment: tag })
      .optional(),
    /**
     * Album mode (POST /api/v2/batch with album=true sets it): the batch's tracks are measured as a whole
     * and share one chain, keeping their relative loudness (album.ts). Ignored outside a batch.
     */
    album: z.boolean({ error: "album must be true or false" }).optional(),
  })
  .superRefine((s, ctx) => {
    const f = s.format ?? "wav24";
    if (s.bitrate === undefined) return;
    const range: Partial<Record<FormatId, [number, number]>> = {
      mp3: [128, 320],
      aac: [64, 320],
      opus: [32, 256],
    };
    const r = range[f];
    if (!r)
      ctx.addIssue({
        code: "custom",
        path: ["bitrate"],
        message: `bitrate applies only to mp3, aac and opus (format is ${f})`,
      });
    else if (s.bitrate === "v0" ? f !== "mp3" : s.bitrate < r[0] || s.bitrate > r[1])
      ctx.addIssue({
        code: "custom",
        path: ["bitrate"],
        message: `bitrate for ${f} must be ${r[0]}–${r[1]} kbps${f === "mp3" ? ' or "v0"' : ""}`,
      });
  });

export type MasterSettings = z.input<typeof MasterSettingsSchema>;

export type ResolvedModules = {
  highpass: { enabled: boolean; freq_hz: number };
  denoise: { enabled: boolean; reduction_db: number };
  deesser: { enabled: boolean; threshold: number };
  eq: { enabled: boolean; bands: StyleEq };
  transient: { enabled: boolean; attack_db: number; sustain_db: number };
  multiband: { enabled: boolean; amount: number; threshold_offset_db: number; attack_scale: number };
  parallel: { enabled: boolean; mix: number };
  saturation: { enabled: boolean; amount_db: number };
  width: { enabled: boolean; width: number };
  dither: { enabled: boolean };
};

export type ResolvedSettings = {
  style: Style;
  preset: Preset | null;
  target_lufs: number;
  /** The ceiling the delivered (decoded) file must meet. */
  ceiling_dbtp: number;
  /** The ceiling the limiter renders at (lower for lossy formats). */
  render_ceiling_dbtp: number;
  format: Format;
  bitrate: number | "v0" | null;
  sample_rate: "keep" | 44100 | 48000;
  modules: ResolvedModules;
  intensity: Intensity;
  /** Wet share 0–1 of the chain (the dry path is gain-staged and high-passed only). */
  mix: number;
  limiter_release_ms: number;
  /** Reference matching: the aspects to match and the weights (used only when references are given). */
  match: MatchAspect[];
  reference_weights: number[] | null;
  tags: Record<string, string>;
};

/** Validates `input`; throws AppError invalid_settings (400) with a readable `details` param. */
export function parseSettings(input: unknown): z.output<typeof MasterSettingsSchema> {
  const r = MasterSettingsSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const details = r.error.issues
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
  throw new AppError("invalid_settings", 400, { details }, r.error);
}

/** Resolves style + preset + custom values into concrete numbers. Validates first. */
export function resolveSettings(input: MasterSettings): ResolvedSettings {
  const s = parseSettings(input);
  // "auto" is replaced by the chosen style before the flow resolves (auto.ts); standard stands in until then.
  const style = styleById((s.style === "auto" ? "standard" : (s.style ?? "standard")) as StyleId);
  const preset = s.preset ? presetById(s.preset as PresetId) : null;
  const format = formatById((s.format ?? "wav24") as FormatId);
  const bitrate = format.lossy ? (s.bitrate ?? format.default_bitrate) : null;
  const ceiling = s.ceiling_dbtp ?? preset?.ceiling_dbtp ?? style.ceiling_dbtp;
  const m = s.modules ?? {};
  const on = (x: { enabled?: boolean } | undefined, dflt: boolean) => x?.enabled ?? dflt;
  const intensity: Intensity = s.intensity ?? "medium";
  const k = INTENSITY[intensity];
  const width = m.width?.width ?? style.width;
  const shaping = (m.transient?.attack_db ?? 0) !== 0 || (m.transient?.sustain_db ?? 0) !== 0;
  const exciter =
    m.saturation?.amount_db ?? Math.min(6, Math.max(style.exciter_db * k.saturation, k.saturation_floor_db));
  const mix = m.parallel?.mix ?? Math.min(1, style.parallel_mix * k.parallel);
  return {
    style,
    preset,
    target_lufs: s.target_lufs ?? preset?.target_lufs ?? style.target_lufs,
    ceiling_dbtp: ceiling,
    render_ceiling_dbtp: renderCeiling(format, ceiling, bitrate),
    format,
    bitrate,
    sample_rate: s.sample_rate ?? "keep",
    modules: {
      highpass: { enabled: on(m.highpass, true), freq_hz: m.highpass?.freq_hz ?? style.highpass_hz },
      denoise: { enabled: on(m.denoise, false), reduction_db: m.denoise?.reduction_db ?? 6 },
      deesser: { enabled: on(m.deesser, style.deesser), threshold: m.deesser?.threshold ?? 0.02 },
      eq: { enabled: on(m.eq, true), bands: style.eq },
      transient: {
        enabled: on(m.transient, shaping) && shaping,
        attack_db: m.transient?.attack_db ?? 0,
        sustain_db: m.transient?.sustain_db ?? 0,
      },
      multiband: {
        enabled: on(m.multiband, true),
        amount: m.multiband?.amount ?? style.compression * k.compression,
        threshold_offset_db: m.multiband?.threshold_offset_db ?? k.threshold_offset_db,
        attack_scale: m.multiband?.attack_scale ?? k.attack_scale,
      },
      parallel: { enabled: on(m.parallel, mix > 0) && mix > 0, mix },
      saturation: { enabled: on(m.saturation, exciter > 0) && exciter > 0, amount_db: exciter },
      width: { enabled: on(m.width, width !== 1) && width !== 1, width },
      dither: { enabled: on(m.dither, true) },
    },
    intensity,
    mix: (s.mix ?? 100) / 100,
    limiter_release_ms: k.limiter_release_ms,
    match: [...new Set(s.reference?.match ?? MATCH_ASPECTS)],
    reference_weights: s.reference?.weights ?? null,
    tags: Object.fromEntries(
      Object.entries(s.tags ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
    ),
  };
}
