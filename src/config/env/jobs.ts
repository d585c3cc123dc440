// The worker pool and the queue: how many jobs run, how long one may take, per-owner caps, result lifetime.

import { cpus } from "node:os";
import { z } from "zod";
import { int, num, type Spec } from "../kinds";

export const JOBS_ENV = {
  MM_WORKERS: {
    schema: int(1, 64),
    default: String(cpus().length || 1),
    describe: "Concurrent mastering jobs (default: CPU count)",
  },
  MM_JOB_PROCESSES: {
    schema: z.enum(["auto", "1"]),
    default: "auto",
    describe:
      "ffmpeg processes one job runs side by side: auto = 2 when it runs alone on a machine with 2+ CPUs, else 1; 1 = always one (one core per job, e.g. worker nodes sharing a machine)",
  },
  MM_JOB_TIMEOUT_S: {
    schema: int(1, 86400),
    default: "1800",
    describe: "A job running longer is killed and refunded",
  },
  MM_MAX_RUNNING_PER_OWNER: {
    schema: int(1, 64),
    default: "2",
    describe: "Concurrently running jobs per owner",
  },
  MM_MAX_QUEUED_PER_OWNER: {
    schema: int(1, 10_000),
    default: "20",
    describe: "Jobs one owner may have waiting in the queue; more answer 429 queue_limit_reached",
  },
  MM_RESULT_TTL_H: { schema: num(0.01, 8760), default: "72", describe: "Hours a result stays downloadable" },
} satisfies Record<string, Spec>;
