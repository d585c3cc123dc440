// The BS.1770 K-weighting filters as the per-sample code runs them: the coefficient design (libebur128's,
// shared by the loudness meter, the loudness timeline and the limiter model) and the limiter model's fold
// loops that apply it. Apart from limit-model.ts because this is the hot per-sample part (tuned for JSC)
// and the rest there is per-chunk arithmetic.

/** Biquad coefficients [b0, b1, b2, a1, a2] of the BS.1770 K-weighting stages at `rate` (libebur128's design). */
export function kWeighting(rate: number): [number[], number[]] {
  let f0 = 1681.974450955533;
  const g = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / rate);
  const vh = 10 ** (g / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf = [
    (vh + (vb * k) / q + k * k) / a0,
    (2 * (k * k - vh)) / a0,
    (vh - (vb * k) / q + k * k) / a0,
    (2 * (k * k - 1)) / a0,
    (1 - k / q + k * k) / a0,
  ];
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / rate);
  a0 = 1 + k / q + k * k;
  const highpass = [1, -2, 1, (2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0];
  return [shelf, highpass];
}

/*
 * The per-sample loops, as free functions over typed arrays (JSC optimises these ~6× better than the
 * same loop as a method with array-destructured coefficients). State: [0..7] left shelf x1 x2 y1 y2 and
 * high-pass x1 x2 y1 y2, [8..15] the same for the right channel, [16] open chunk energy, [17] its peak,
 * [18] frames in it. Each finished chunk appends (peak, energy) to `out`; returns the values written.
 */
export function foldStereo(
  x: Float32Array,
  n: number,
  c: Float64Array,
  st: Float64Array,
  out: Float64Array,
  len: number,
): number {
  const b0 = c[0] as number;
  const b1 = c[1] as number;
  const b2 = c[2] as number;
  const a1 = c[3] as number;
  const a2 = c[4] as number;
  const h1 = c[5] as number;
  const h2 = c[6] as number;
  let lx1 = st[0] as number;
  let lx2 = st[1] as number;
  let ly1 = st[2] as number;
  let ly2 = st[3] as number;
  let lh1 = st[4] as number;
  let lh2 = st[5] as number;
  let lz1 = st[6] as number;
  let lz2 = st[7] as number;
  let rx1 = st[8] as number;
  let rx2 = st[9] as number;
  let ry1 = st[10] as number;
  let ry2 = st[11] as number;
  let rh1 = st[12] as number;
  let rh2 = st[13] as number;
  let rz1 = st[14] as number;
  let rz2 = st[15] as number;
  let e = st[16] as number;
  let peak = st[17] as number;
  let pos = st[18] as number;
  let k = 0;
  for (let i = 0; i + 1 < n; i += 2) {
    const l = x[i] as number;
    let s = b0 * l + b1 * lx1 + b2 * lx2 - a1 * ly1 - a2 * ly2;
    lx2 = lx1;
    lx1 = l;
    ly2 = ly1;
    ly1 = s;
    let h = s - 2 * lh1 + lh2 - h1 * lz1 - h2 * lz2;
    lh2 = lh1;
    lh1 = s;
    lz2 = lz1;
    lz1 = h;
    e += h * h;
    const al = Math.abs(l);
    if (al > peak) peak = al;
    const r = x[i + 1] as number;
    s = b0 * r + b1 * rx1 + b2 * rx2 - a1 * ry1 - a2 * ry2;
    rx2 = rx1;
    rx1 = r;
    ry2 = ry1;
    ry1 = s;
    h = s - 2 * rh1 + rh2 - h1 * rz1 - h2 * rz2;
    rh2 = rh1;
    rh1 = s;
    rz2 = rz1;
    rz1 = h;
    e += h * h;
    const ar = Math.abs(r);
    if (ar > peak) peak = ar;
    if (++pos === len) {
      out[k++] = peak;
      out[k++] = e;
      pos = 0;
      peak = 0;
      e = 0;
    }
  }
  st.set([lx1, lx2, ly1, ly2, lh1, lh2, lz1, lz2, rx1, rx2, ry1, ry2, rh1, rh2, rz1, rz2, e, peak, pos]);
  return k;
}

export function foldMono(
  x: Float32Array,
  n: number,
  c: Float64Array,
  st: Float64Array,
  out: Float64Array,
  len: number,
): number {
  const b0 = c[0] as number;
  const b1 = c[1] as number;
  const b2 = c[2] as number;
  const a1 = c[3] as number;
  const a2 = c[4] as number;
  const h1 = c[5] as number;
  const h2 = c[6] as number;
  let lx1 = st[0] as number;
  let lx2 = st[1] as number;
  let ly1 = st[2] as number;
  let ly2 = st[3] as number;
  let lh1 = st[4] as number;
  let lh2 = st[5] as number;
  let lz1 = st[6] as number;
  let lz2 = st[7] as number;
  let e = st[16] as number;
  let peak = st[17] as number;
  let pos = st[18] as number;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const l = x[i] as number;
    const s = b0 * l + b1 * lx1 + b2 * lx2 - a1 * ly1 - a2 * ly2;
    lx2 = lx1;
    lx1 = l;
    ly2 = ly1;
    ly1 = s;
    const h = s - 2 * lh1 + lh2 - h1 * lz1 - h2 * lz2;
    lh2 = lh1;
    lh1 = s;
    lz2 = lz1;
    lz1 = h;
    e += h * h;
    const al = Math.abs(l);
    if (al > peak) peak = al;
    if (++pos === len) {
      out[k++] = peak;
      out[k++] = e;
      pos = 0;
      peak = 0;
      e = 0;
    }
  }
  st.set([lx1, lx2, ly1, ly2, lh1, lh2, lz1, lz2], 0);
  st.set([e, peak, pos], 16);
  return k;
}
