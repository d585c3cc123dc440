// The schema is composed from one file per concern (src/config/env/*.ts) by object spread, where a name
// defined twice would silently keep the later definition: each name must come from exactly one file.
import { describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ENV_NAMES } from "../../../src/config/schema";

const dir = join(import.meta.dir, "../../../src/config/env");

describe("config areas", () => {
  it("name each variable in exactly one area file, and every one of them is in the schema", async () => {
    const seen: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const mod: Record<string, Record<string, unknown>> = await import(join(dir, file));
      for (const area of Object.values(mod)) seen.push(...Object.keys(area));
    }
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.sort()).toEqual([...ENV_NAMES].sort());
  });
});
