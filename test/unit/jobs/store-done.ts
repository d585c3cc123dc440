// The DoneFields a JobStore suite part marks a job done with (markDone), overridable per test.
import type { DoneFields } from "../../../src/jobs/store";

export const doneFields = (o: Partial<DoneFields> = {}): DoneFields => ({
  resultPath: "/r/x_master.wav",
  resultName: "x_master.wav",
  resultMime: "audio/wav",
  resultBytes: 4,
  analysisBefore: "{}",
  analysisAfter: "{}",
  audioDurationS: 12.5,
  realtimeFactor: 20,
  expiresAt: 5_000,
  ...o,
});
