// The polyphase filter bank of libswresample's resampler to 192 kHz, as ffmpeg 5.1's ebur128 builds it
// for its true peak (build_filter with swr's defaults), and the skip bound's constants l1, s0, q (the
// derivation is in true-peak.ts's header). Apart from the scanner: the bank is designed once per rate,
// the scanner (true-peak.ts) only reads it in its per-sample loops.

export const TAPS = 32;
export const CENTER = 15; // (TAPS − 1) / 2, integer division as in swr's build_filter
const KAISER_BETA = 9;
const OUT_RATE = 192000;
/** swr's default phase_shift 10: an exact rational ratio is used only with at most 1024 phases. */
const MAX_PHASES = 1024;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Modified Bessel I0 by its power series (what av_bessel_i0 converges to, to double precision). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** The polyphase bank and output grid swr uses for `rate` → 192 kHz; null when swr would not be exact-rational. */
export type PhaseBank = {
  /** phases × TAPS coefficients; tap i weights x[n − 15 + i] for an output at n + phase/phases. */
  h: Float64Array;
  phases: number;
  /** Output spacing in 1/phases input samples (147 at 44.1 kHz, 1 at 48 kHz). */
  step: number;
  /** Σ|h| over the taps, max over phases (the crude bound). */
  l1: number;
  /** max over phases of a + b (the two-tap part of the bound). */
  s0: number;
  /** max over phases of ‖q‖₁ (the Δ² part of the bound). */
  q: number;
};

export function phaseBank(rate: number): PhaseBank | null {
  if (!Number.isInteger(rate) || rate <= 0 || rate > OUT_RATE) return null;
  const g = gcd(OUT_RATE, rate);
  const phases = OUT_RATE / g;
  if (phases > MAX_PHASES) return null;
  const step = rate / g;
  const h = new Float64Array(phases * TAPS);
  // build_filter: sin(x) from a table with alternating sign, Kaiser window, one norm (phase 0's sum),
  // and for an even phase count the upper half mirrored from the lower.
  const computed = phases % 2 === 1 ? phases : phases / 2 + 1;
  let norm = 0;
  for (let ph = 0; ph < computed; ph++) {
    let s = Math.sin((Math.PI * ph) / phases) * (CENTER & 1 ? 1 : -1);
    for (let i = 0; i < TAPS; i++) {
      const x = Math.PI * (i - CENTER - ph / phases);
      let y = x === 0 ? 1 : s / x;
      const w = (2 * x) / (TAPS * Math.PI);
      y *= besselI0(KAISER_BETA * Math.sqrt(Math.max(1 - w * w, 0)));
      h[ph * TAPS + i] = y;
      s = -s;
      if (ph === 0) norm += y;
    }
  }
  for (let j = 0; j < computed * TAPS; j++) h[j] = (h[j] as number) / norm;
  if (phases % 2 === 0) {
    for (let ph = 1; ph < phases / 2; ph++) {
      for (let i = 0; i < TAPS; i++) h[(phases - ph) * TAPS + TAPS - 1 - i] = h[ph * TAPS + i] as number;
    }
  }
  let l1 = 0;
  let s0 = 0;
  let q = 0;
  const e = new Float64Array(TAPS);
  for (let ph = 0; ph < phases; ph++) {
    let sum = 0;
    let moment = 0;
    let abs = 0;
    for (let i = 0; i < TAPS; i++) {
      const v = h[ph * TAPS + i] as number;
      sum += v;
      moment += v * (i - CENTER);
      abs += Math.abs(v);
    }
    // Two taps on x[n] (i = 15) and x[n+1] (i = 16) with the same sum and first moment.
    const b = moment;
    const a = sum - moment;
    if (a < 0 || b < 0) throw new Error(`true-peak bound: negative two-tap weight at phase ${ph}`);
    for (let i = 0; i < TAPS; i++) e[i] = h[ph * TAPS + i] as number;
    e[CENTER] = (e[CENTER] as number) - a;
    e[CENTER + 1] = (e[CENTER + 1] as number) - b;
    let run1 = 0;
    let run2 = 0;
    let ql1 = 0;
    for (let i = 0; i < TAPS; i++) {
      run1 += e[i] as number;
      run2 += run1;
      ql1 += Math.abs(run2);
    }
    l1 = Math.max(l1, abs);
    s0 = Math.max(s0, a + b);
    q = Math.max(q, ql1);
  }
  // Rounding in the sums above and in the bound itself: a relative hair of slack keeps it a bound.
  return { h, phases, step, l1: l1 * (1 + 1e-9), s0: s0 * (1 + 1e-9), q: q * (1 + 1e-9) + 1e-12 };
}
