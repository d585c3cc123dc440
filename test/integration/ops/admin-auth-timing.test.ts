// The admin token compare must not reveal how much of a guess was right, nor the token's length.
import { describe, expect, it } from "bun:test";
import { tokensEqual } from "../../../src/http/middleware/admin-auth";

const TOKEN = "k3Jd9-admin-token-Qz81LmPw7x";

/** Median time (ns) of a batch of compares, taken over interleaved rounds so drift hits every guess alike. */
function medians(guesses: readonly string[], rounds = 41, batch = 2000): number[] {
  const samples = guesses.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    guesses.forEach((g, i) => {
      const t0 = Bun.nanoseconds();
      for (let k = 0; k < batch; k++) tokensEqual(g, TOKEN);
      samples[i]?.push(Bun.nanoseconds() - t0);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)] ?? 0);
}

describe("tokensEqual", () => {
  it("is true only for the exact token and never throws on other lengths", () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    for (const g of ["", "k", TOKEN.slice(0, -1), `${TOKEN} `, TOKEN.toUpperCase(), "x".repeat(10_000)])
      expect(tokensEqual(g, TOKEN)).toBe(false);
  });

  it("takes the same time whether the guess shares a long prefix, nothing, or not even the length", () => {
    const nearMiss = `${TOKEN.slice(0, -1)}#`;
    const farMiss = `#${TOKEN.slice(1)}`;
    const shortMiss = "k";
    const times = medians([nearMiss, farMiss, shortMiss, TOKEN]);
    const spread = Math.max(...times) / Math.min(...times);
    // Loose bound: a byte-by-byte compare of a 28-char token would not show here anyway; what matters is
    // that no guess is systematically faster (hashing first makes every path the same work).
    expect(spread).toBeLessThan(1.5);
  });
});
