// What one client may hold of the HTTP API: request rate, progress streams, uploads and their minimum
// speed, and which proxies' X-Forwarded-For names the client.

import { csv, int, type Spec } from "../kinds";

export const HTTP_LIMITS_ENV = {
  MM_RATE_LIMIT_PER_MIN: {
    schema: int(0, 100000),
    default: "120",
    describe: "Anonymous API requests per minute per IP (0 = off)",
  },
  MM_SSE_PER_IP: {
    schema: int(1, 10000),
    default: "20",
    describe: "Open progress streams (SSE) per client IP; more answer 429 too_many_streams",
  },
  MM_UPLOADS_PER_IP: {
    schema: int(1, 1000),
    default: "4",
    describe: "Concurrent uploads per client IP; more answer 429 too_many_uploads",
  },
  MM_UPLOAD_MIN_KBPS: {
    schema: int(0, 1_000_000),
    default: "8",
    describe: "An upload slower than this (KB/s) over MM_UPLOAD_RATE_WINDOW_S is cut (0 = off)",
  },
  MM_UPLOAD_RATE_WINDOW_S: {
    schema: int(1, 3600),
    default: "30",
    describe: "Window over which the minimum upload rate is measured, seconds",
  },
  MM_TRUSTED_PROXIES: { schema: csv, default: "", describe: "Proxy IPs whose X-Forwarded-For is trusted" },
} satisfies Record<string, Spec>;
