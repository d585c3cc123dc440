// The machine: the ffmpeg/ffprobe executables and the free disk below which health degrades.

import { z } from "zod";
import { int, type Spec } from "../kinds";

export const HOST_ENV = {
  MM_FFMPEG: {
    schema: z.string().trim().min(1),
    default: "ffmpeg",
    describe: "ffmpeg executable (name on PATH or absolute path)",
  },
  MM_FFPROBE: {
    schema: z.string().trim().min(1),
    default: "ffprobe",
    describe: "ffprobe executable (name on PATH or absolute path)",
  },
  MM_DISK_LOW_MB: {
    schema: int(0),
    default: "200",
    describe: "Free disk below this marks health degraded and alerts",
  },
} satisfies Record<string, Spec>;
