import { describe, expect, it } from "bun:test";
import { ipAllowList } from "../../../src/http/middleware/ip-allow";

describe("ipAllowList", () => {
  const yk = ipAllowList(["185.71.76.0/27", "77.75.156.11", "2a02:5180::/32"]);
  it("matches IPv4 ranges and single addresses, also IPv4-mapped IPv6", () => {
    expect(yk.allows("185.71.76.0")).toBe(true);
    expect(yk.allows("185.71.76.31")).toBe(true);
    expect(yk.allows("::ffff:185.71.76.7")).toBe(true);
    expect(yk.allows("185.71.76.32")).toBe(false);
    expect(yk.allows("77.75.156.11")).toBe(true);
    expect(yk.allows("77.75.156.12")).toBe(false);
  });
  it("matches IPv6 ranges, never across families", () => {
    expect(yk.allows("2a02:5180:0:1509::1")).toBe(true);
    expect(yk.allows("2A02:5180:ffff::")).toBe(true);
    expect(yk.allows("2a02:5181::1")).toBe(false);
    expect(ipAllowList(["0.0.0.0/0"]).allows("::1")).toBe(false);
    expect(ipAllowList(["::1"]).allows("::1")).toBe(true);
  });
  it("refuses what is not an address, and rejects malformed entries", () => {
    for (const bad of ["unknown", "", "1.2.3", "256.1.1.1", "1::2::3", "x.y.z.w"])
      expect(yk.allows(bad)).toBe(false);
    expect(() => ipAllowList(["10.0.0.0/33"])).toThrow();
    expect(() => ipAllowList(["nope"])).toThrow();
  });
});
