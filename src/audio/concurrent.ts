// Running ffmpeg passes side by side on the 2-core target, stopping every sibling when one fails or the
// caller aborts (no orphaned ffmpeg keeps running).

/** Concurrent ffmpeg processes a flow may run (one per core on the 2-core target). */
export const SEARCH_PROCESSES: 1 | 2 = 2;

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
