// Where the service listens, where it keeps its data (SQLite file or Postgres), logging, public links
// and CORS, and whether billing is on.

import { z } from "zod";
import { csv, int, optionalUrl, postgresUrl, type Spec } from "../kinds";

export const SERVICE_ENV = {
  PORT: {
    schema: int(0, 65535),
    default: "8080",
    describe: "HTTP port (0 = pick a free one; the log says which)",
  },
  MM_HOST: { schema: z.string().trim().min(1), default: "127.0.0.1", describe: "Address to bind" },
  MM_DATA_DIR: {
    schema: z.string().trim().min(1),
    default: "./data",
    describe: "Data folder: database, uploads, results, backups",
  },
  MM_DATABASE_URL: {
    schema: z.union([z.literal(""), postgresUrl]),
    default: "",
    secret: true,
    describe: "Empty: the SQLite file in the data folder; postgres://user:pass@host:port/db: that Postgres",
  },
  MM_NODE_DEAD_S: {
    schema: int(3),
    default: "30",
    describe:
      "On Postgres: a node silent this long is dead; its running jobs are re-queued (beats every 1/6 of it)",
  },
  MM_LOG_LEVEL: {
    schema: z.enum(["debug", "info", "warn", "error"]),
    default: "info",
    describe: "Lowest log level written",
  },
  MM_PUBLIC_URL: {
    schema: optionalUrl,
    default: "",
    describe: "Public base URL used in links sent to users (web upload, downloads)",
  },
  MM_CORS_ORIGINS: {
    schema: csv,
    default: "",
    describe: "Comma-separated origins allowed by CORS (empty = same origin only)",
  },
  MM_BILLING: {
    schema: z.enum(["off", "on"]),
    default: "off",
    describe: "off: every job is free and unlimited; on: jobs are charged tokens from the ledger by tier",
  },
} satisfies Record<string, Spec>;
