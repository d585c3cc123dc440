import { describe, expect, it } from "bun:test";
import { moneyString } from "../../../src/billing";
import { parseMoney } from "../../../src/billing/plans";

describe("money", () => {
  it("formats minor units with two decimals, exactly", () => {
    expect(moneyString(100_00)).toBe("100.00");
    expect(moneyString(99_05)).toBe("99.05");
    expect(moneyString(1)).toBe("0.01");
    expect(moneyString(2500000)).toBe("25000.00");
  });
  it("parses operator input and the provider's strings back to minor units", () => {
    expect(parseMoney("990")).toBe(99000);
    expect(parseMoney("990.5")).toBe(99050);
    expect(parseMoney("0.07")).toBe(7);
    for (const bad of ["", "-1", "1,00", "1.001", "abc", "1e3"]) expect(parseMoney(bad)).toBeUndefined();
    for (let m = 0; m < 100_000; m += 37) expect(parseMoney(moneyString(m))).toBe(m);
  });
});
