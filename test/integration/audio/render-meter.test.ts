// The lossless final render is metered by a second ffmpeg process fed through a FIFO (render-meter.ts).
// Both processes must stop together: cancelled mid-render, neither is left running, and neither the
// partial output nor the FIFO is left beside the output.

import { afterAll, beforeAll, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { master } from "../../../src/audio";
import type { AppError } from "../../../src/errors";
import { cleanup, makeMusic, tempDir } from "../../fixtures/audio";
import { processesMatching } from "../../fixtures/processes";
import { waitFor } from "../../fixtures/wait";

let dir = "";
let input = "";
beforeAll(async () => {
  dir = await tempDir("mm-render-meter-");
  input = await makeMusic(dir, { durationS: 20 });
});
afterAll(() => cleanup(dir));

it("a cancel during the metered render stops the render and the meter, leaving no partial and no FIFO", async () => {
  const out = join(dir, "out.wav");
  const ac = new AbortController();
  let seen = { render: 0, meter: 0 };
  const err = await master(
    input,
    out,
    { format: "wav24" },
    {
      signal: ac.signal,
      onProgress: (_f, stage) => {
        if (stage !== "render" || ac.signal.aborted) return;
        // Abort once both processes of the render stage are up (the meter's command line names the FIFO).
        const render = processesMatching(dir, "alimiter").length;
        const meter = processesMatching(dir, ".meter", "ebur128").length;
        if (render > 0 && meter > 0) {
          seen = { render, meter };
          ac.abort();
        }
      },
    },
  ).catch((e: unknown) => e);
  expect((err as AppError).code).toBe("cancelled");
  expect(seen).toEqual({ render: 1, meter: 1 });
  await waitFor(() => processesMatching(dir, "ffmpeg").length === 0, {
    what: "no ffmpeg left on this input",
  });
  expect(readdirSync(dir).filter((f) => f.startsWith(".out.wav"))).toEqual([]);
}, 120_000);
