// style=auto for master() and preview(): measure the input once (match-measure.ts), pick the style
// (plan-auto.ts, pure) and hand back concrete settings plus the choice for the report.

import type { Flow } from "./flow";
import { type MatchMeasurement, measureForMatch } from "./match-measure";
import { type AutoChoice, autoFeatures, pickStyle } from "./plan-auto";
import type { MasterSettings } from "./settings";

export type AutoResolved = {
  settings: MasterSettings;
  choice: AutoChoice | null;
  measured: MatchMeasurement | null;
};

export async function resolveAuto(
  flow: Flow,
  input: string,
  settings: MasterSettings,
): Promise<AutoResolved> {
  if (settings.style !== "auto") return { settings, choice: null, measured: null };
  const measured = await flow.time("auto", () => {
    const p = flow.pass("auto", 0, 0.05);
    return measureForMatch(input, { signal: p.signal, timeoutMs: p.timeoutMs });
  });
  const choice = pickStyle(autoFeatures(measured));
  return { settings: { ...settings, style: choice.style as MasterSettings["style"] }, choice, measured };
}
