// Small helpers shared by the benchmarks: percentiles, a bounded HTTP load loop, formatting.

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Fires GET requests at `url` from `concurrency` loops for `seconds` (bounded); returns requests/s. */
export async function loadTest(
  url: string,
  seconds: number,
  concurrency = 32,
): Promise<{ rps: number; errors: number }> {
  const deadline = performance.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status < 500) ok++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { rps: ok / ((performance.now() - t0) / 1000), errors };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
