// Another format of a finished master, on demand: the delivered (lossless) file goes through the same
// final pass as a master's last step — gain 0, the new format's ceiling (lower for lossy encoders), the
// 4× true-peak limiter, dither for 16 bit — and the WRITTEN file is measured and corrected once, exactly
// as master() verifies its own output. A lossy master is never the source: transcoding it again would
// stack codec losses (lossy → lossy) or pretend a quality it lacks (lossy → lossless).

import { AppError } from "../errors";
import type { Analysis } from "./analyze";
import { commit, Flow, type FlowOptions, partialPath, removeQuietly } from "./flow";
import { type FormatId, formatById } from "./formats";
import { workRate } from "./plan";
import { probe } from "./probe";
import { type MasterSettings, resolveSettings } from "./settings";
import { renderVerifyCorrect } from "./verify";

/**
 * Encodes `master` (a lossless master made with `settings`) as `format` into `output`. Keeps the master's
 * loudness (`expectedLufs`, its measured integrated loudness) and the job's ceiling. Returns the analysis
 * of the written file. Throws format_source_lossy (409) for a lossy master.
 */
export async function encodeAlternate(
  master: string,
  output: string,
  settings: MasterSettings,
  format: FormatId,
  o: FlowOptions & { expectedLufs: number },
): Promise<Analysis> {
  const source = resolveSettings(settings).format;
  if (source.lossy) throw new AppError("format_source_lossy", 409, { format: source.id });
  // The job's bitrate belonged to its own format; the new one starts from its default.
  const { bitrate: _bitrate, ...rest } = settings;
  const r = resolveSettings({ ...rest, format });
  const flow = new Flow(o);
  const info = await probe(master, { signal: o.signal });
  const partial = partialPath(output);
  try {
    const job = {
      intermediate: master,
      input: master,
      probe: info,
      rate: workRate(r, info.sample_rate),
      duration_s: info.duration_s,
    };
    const done = await renderVerifyCorrect(flow, r, job, {
      gain: 0,
      expected: o.expectedLufs,
      slope: 1.2,
      partial,
      stages: [
        [0, 0.5],
        [0.5, 1],
      ],
    });
    await commit(partial, output);
    return done.after;
  } finally {
    await removeQuietly(partial);
  }
}

/** True when a master delivered as `format` can be the source of other formats. */
export const canReencode = (format: FormatId): boolean => !formatById(format).lossy;
