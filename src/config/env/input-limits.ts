// What audio input is accepted: upload sizes by format, duration, sample rate, channels.

import { int, num, type Spec } from "../kinds";

export const INPUT_LIMITS_ENV = {
  MM_UPLOAD_MAX_MB_WAV: { schema: int(1, 4096), default: "800", describe: "Upload limit for WAV/AIFF" },
  MM_UPLOAD_MAX_MB_FLAC: { schema: int(1, 4096), default: "500", describe: "Upload limit for FLAC" },
  MM_UPLOAD_MAX_MB_LOSSY: { schema: int(1, 4096), default: "300", describe: "Upload limit for MP3/M4A/OGG" },
  MM_MAX_DURATION_MIN: {
    schema: num(0.1, 1440),
    default: "30",
    describe: "Longest input accepted, minutes (as probed; decoding past the probed length fails the job)",
  },
  MM_MAX_SAMPLE_RATE: {
    schema: int(8000, 768000),
    default: "192000",
    describe: "Highest input sample rate, Hz",
  },
  MM_MAX_CHANNELS: {
    schema: int(1, 2),
    default: "2",
    describe: "Most input channels for master/preview (the chain is mono/stereo)",
  },
  MM_MAX_CHANNELS_MEASURE: {
    schema: int(1, 32),
    default: "8",
    describe: "Most input channels for analysis-only jobs (8 = 7.1 surround)",
  },
} satisfies Record<string, Spec>;
