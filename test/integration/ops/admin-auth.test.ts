// The admin token compare: right only for the exact token, safe on any length. That it takes the same time
// for every guess is a wall-time figure, measured by bench/token-compare.ts (a ratio, not a pass/fail here).
import { describe, expect, it } from "bun:test";
import { tokensEqual } from "../../../src/http/middleware/admin-auth";

const TOKEN = "k3Jd9-admin-token-Qz81LmPw7x";

describe("tokensEqual", () => {
  it("is true only for the exact token and never throws on other lengths", () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    for (const g of ["", "k", TOKEN.slice(0, -1), `${TOKEN} `, TOKEN.toUpperCase(), "x".repeat(10_000)])
      expect(tokensEqual(g, TOKEN)).toBe(false);
  });
});
