// Sign-in attempt limits: a fixed window per key (an IP, or an e-mail). In memory on purpose, like the
// HTTP rate limit: a restart forgetting counts only gives an attacker one more window, and keeping it out
// of SQLite means a flood of wrong passwords writes nothing.

export type AttemptRule = { max: number; windowMs: number };

export type AttemptLimiter = {
  /** Seconds to wait when `key` already used its attempts in this window, else null. Does not count. */
  blocked(key: string): number | null;
  /** Counts one attempt of `key`. */
  hit(key: string): void;
  /** Forgets `key` (a successful sign-in clears the account's failures). */
  clear(key: string): void;
};

export function createAttemptLimiter(rule: AttemptRule, now: () => number): AttemptLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  const current = (key: string) => {
    const t = now();
    if (t - lastSweep > rule.windowMs) {
      for (const [k, w] of windows) if (t - w.start >= rule.windowMs) windows.delete(k);
      lastSweep = t;
    }
    const w = windows.get(key);
    return w && t - w.start < rule.windowMs ? w : undefined;
  };
  return {
    blocked(key) {
      const w = current(key);
      if (!w || w.count < rule.max) return null;
      return Math.max(1, Math.ceil((w.start + rule.windowMs - now()) / 1000));
    },
    hit(key) {
      const w = current(key);
      if (w) w.count++;
      else windows.set(key, { start: now(), count: 1 });
    },
    clear: (key) => void windows.delete(key),
  };
}
