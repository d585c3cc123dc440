import { describe, expect, it } from "bun:test";
import { originAllowed } from "../../../src/http/middleware/origin-guard";

describe("originAllowed", () => {
  const allowed = new Set(["https://studio.example"]);
  it("accepts the request's own host (whatever the scheme a proxy shows us) and listed origins", () => {
    expect(originAllowed("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v2/master", allowed)).toBe(true);
    expect(originAllowed("https://mm.example", "http://mm.example/api/v2/master", allowed)).toBe(true);
    expect(originAllowed("https://studio.example", "http://127.0.0.1:8080/api/master", allowed)).toBe(true);
  });
  it("refuses other hosts, other ports, look-alikes and the opaque origin", () => {
    for (const o of [
      "https://evil.example",
      "http://127.0.0.1:9999",
      "https://mm.example.evil.example",
      "https://studio.example.evil",
      "null",
      "",
    ])
      expect({ o, ok: originAllowed(o, "http://mm.example/api/v2/master", allowed) }).toEqual({
        o,
        ok: false,
      });
  });
});
