// The original's upload fields, translated into our settings so its unmodified client works: its style
// names, its chain JSON in `config`, its PRO fields. Applied where we have the feature, ignored otherwise,
// never a 4xx (a value out of our range is clamped). Pure: fields in, partial settings out.
import { canonicalStyleName } from "../../audio";

type Obj = Record<string, unknown>;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const num = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
export const truthy = (v: unknown) =>
  v === true || (typeof v === "string" && /^(true|1|yes|on)$/i.test(v.trim()));
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Strength of the original's denoise presets (audio-dsp reference), mapped to a reduction in dB. */
const DENOISE_PRESETS: Record<string, number> = {
  vocal: 0.15,
  light: 0.2,
  medium: 0.5,
  aggressive: 0.75,
  tape_hiss: 0.25,
  room_tone: 0.4,
};
const denoiseDb = (strength: number) => clamp(Math.round(strength * 20), 1, 30);

export const styleName = (v: unknown): unknown => (typeof v === "string" ? canonicalStyleName(v.trim()) : v);

/** One module of the original's chain ({id, enabled, amount, …params}) → our module overrides. */
function chainModule(m: Obj, modules: Obj, out: Obj): void {
  const enabled = typeof m.enabled === "boolean" ? { enabled: m.enabled } : {};
  switch (m.id) {
    case "dynamics": {
      const amount = num(m.amount);
      modules.multiband = { ...enabled, ...(amount === undefined ? {} : { amount: clamp(amount, 0, 2) }) };
      return;
    }
    case "style_eq":
      modules.eq = enabled;
      return;
    case "exciter": {
      const db = num(m.exciter_db);
      modules.saturation = { ...enabled, ...(db === undefined ? {} : { amount_db: clamp(db, 0, 6) }) };
      return;
    }
    case "imager": {
      const width = num(m.width);
      modules.width = { ...enabled, ...(width === undefined ? {} : { width: clamp(width, 0, 2) }) };
      return;
    }
    case "normalize_lufs": {
      const target = num(m.target_lufs ?? m.target);
      if (m.enabled !== false && target !== undefined) out.target_lufs = clamp(target, -30, -6);
      return;
    }
    default:
      // dc_offset, peak_guard, target_curve, final_spectral_balance, reverb, maximizer: always on or absent here.
      return;
  }
}

/** The original's chain JSON ({style, target_lufs, modules:[…], dither_type, auto_blank_sec}) → our settings. */
export function fromOriginalChain(chain: Obj): Obj {
  const out: Obj = {};
  if (typeof chain.style === "string") out.style = styleName(chain.style);
  const modules: Obj = {};
  for (const m of chain.modules as unknown[]) if (isObj(m)) chainModule(m, modules, out);
  const target = num(chain.target_lufs);
  if (target !== undefined && out.target_lufs === undefined) out.target_lufs = clamp(target, -30, -6);
  if (Object.keys(modules).length > 0) out.modules = modules;
  return out;
}

/** A JSON `settings`/`config` object: the original's chain is translated; ours loses only the answer's extras. */
export function fromSettingsJson(value: Obj): Obj {
  if (Array.isArray(value.modules)) return fromOriginalChain(value);
  // `version` comes with GET /api/v2/chain/default; dither_type/auto_blank_sec are the original's extras.
  const { version: _v, dither_type: _d, auto_blank_sec: _a, ...rest } = value;
  if (rest.style !== undefined) rest.style = styleName(rest.style);
  return rest;
}

/** The original's PRO form fields → module overrides (only the ones we have). */
export function modulesFromOriginalFields(f: Record<string, string | undefined>): Obj {
  const modules: Obj = {};
  const preset = f.denoise_preset?.trim();
  const strength = preset && preset in DENOISE_PRESETS ? DENOISE_PRESETS[preset] : num(f.denoise_strength);
  if (strength !== undefined && strength > 0)
    modules.denoise = { enabled: true, reduction_db: denoiseDb(strength) };
  if (truthy(f.rumble_enabled))
    modules.highpass = { enabled: true, freq_hz: clamp(num(f.rumble_cutoff) ?? 80, 20, 200) };
  if (truthy(f.deesser_enabled)) modules.deesser = { enabled: true };
  const mix = num(f.parallel_mix);
  if (mix !== undefined && mix > 0) modules.parallel = { enabled: true, mix: clamp(mix, 0, 1) };
  return modules;
}
