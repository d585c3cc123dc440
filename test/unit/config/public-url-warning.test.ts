// Start-up warns (config_warning naming MM_PUBLIC_URL) when config starts but leaves links broken: the
// bot's links without a public URL, and the payment providers' return URL; nothing when it is set.
import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/log";
import { warnMissingPublicUrl } from "../../../src/service-guards";

const warnings = (env: Record<string, string>) => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
  warnMissingPublicUrl(loadConfig({ MM_DATA_DIR: "/tmp/mm-unused", ...env }), log);
  return lines.map((l) => [l.event, l.variable, String(l.msg ?? "").includes("YooKassa") ? "pay" : "bot"]);
};

describe("MM_PUBLIC_URL warnings", () => {
  it("warns once per feature it breaks, and not at all when set or when nothing needs it", () => {
    expect(warnings({})).toEqual([]);
    expect(warnings({ MM_BOT_TOKEN: "1:x" })).toEqual([["config_warning", "MM_PUBLIC_URL", "bot"]]);
    expect(warnings({ MM_BOT_TOKEN: "1:x", MM_YOOKASSA_SHOP_ID: "1", MM_YOOKASSA_SECRET_KEY: "s" })).toEqual([
      ["config_warning", "MM_PUBLIC_URL", "bot"],
      ["config_warning", "MM_PUBLIC_URL", "pay"],
    ]);
    expect(warnings({ MM_BOT_TOKEN: "1:x", MM_PUBLIC_URL: "https://mm.example.test" })).toEqual([]);
  });
});
