// Running ffmpeg passes side by side on the 2-core target: dealing work into groups, and stopping every
// sibling when one fails or the caller aborts (no orphaned ffmpeg keeps running).

/** Concurrent ffmpeg processes the gain search is split across (one per core on the 2-core target). */
export const SEARCH_PROCESSES = 2;

/** Deals candidates round-robin into at most `n` non-empty groups (equal branch counts ±1). */
export function splitCandidates<T>(items: readonly T[], n: number): T[][] {
  const groups: T[][] = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, () => []);
  items.forEach((x, i) => {
    (groups[i % groups.length] as T[]).push(x);
  });
  return groups;
}

/**
 * Runs tasks concurrently; the first failure (or the caller's abort) aborts the others, so no
 * orphaned ffmpeg keeps running, and that first error is what the caller sees.
 */
export async function allOrStop<T extends readonly unknown[]>(
  outer: AbortSignal | undefined,
  tasks: { readonly [K in keyof T]: (signal: AbortSignal) => Promise<T[K]> },
): Promise<T> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  outer?.addEventListener("abort", onAbort, { once: true });
  if (outer?.aborted) stop.abort();
  try {
    return (await Promise.all(
      tasks.map((t) =>
        t(stop.signal).catch((err: unknown) => {
          stop.abort();
          throw err;
        }),
      ),
    )) as unknown as T;
  } finally {
    outer?.removeEventListener("abort", onAbort);
  }
}
