// Admin token compare timing (moved from the test suite: wall time is a figure, not a pass/fail).
// tokensEqual hashes both sides first, so a near miss, a far miss, a short guess and the exact token take
// the same time. Prints the spread (slowest / fastest median) for tokensEqual and, as the baseline in the
// same run, for a plain `===` compare of the same guesses. Goal: spread close to 1.0× (< 1.5×).
import { tokensEqual } from "../src/http/middleware/admin-auth";
import { fmt, median } from "./lib";

const TOKEN = "k3Jd9-admin-token-Qz81LmPw7x";
const GUESSES = [`${TOKEN.slice(0, -1)}#`, `#${TOKEN.slice(1)}`, "k", TOKEN];

/** Median ns per batch for each guess, over interleaved rounds so drift hits every guess alike. */
function spread(compare: (a: string, b: string) => boolean, rounds = 41, batch = 2000): number {
  const samples = GUESSES.map(() => [] as number[]);
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    GUESSES.forEach((g, i) => {
      const t0 = Bun.nanoseconds();
      for (let k = 0; k < batch; k++) if (compare(g, TOKEN)) sink++;
      samples[i]?.push(Bun.nanoseconds() - t0);
    });
  }
  if (sink < 0) console.log(sink); // keeps the loop from being optimised away
  const medians = samples.map(median);
  return Math.max(...medians) / Math.min(...medians);
}

const ours = spread(tokensEqual);
const plain = spread((a, b) => a === b);
console.log(
  `token-compare: tokensEqual spread ${fmt(ours, 2)}× across near/far/short/exact guesses (goal < 1.5×); plain === spread ${fmt(plain, 2)}× (baseline)`,
);
