// The zod kinds the variables are built from (every input is the raw env string) and one variable's spec.

import { z } from "zod";

export const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, "must be a number")
    .transform(Number)
    .pipe(z.number().min(min).max(max));

export const csv = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

export const telegramIds = csv.pipe(z.array(z.string().regex(/^-?\d+$/, "must be numeric Telegram ids")));

export const url = z.string().trim().pipe(z.url("must be an http(s) URL"));
export const optionalUrl = z.union([z.literal(""), url]);

/** postgres:// or postgresql:// with a host and a database name (what Bun.SQL connects to). */
export const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return /^postgres(ql)?:$/.test(u.protocol) && u.hostname !== "" && u.pathname.length > 1;
    } catch {
      return false;
    }
  }, "must be postgres://user:password@host:port/database");

/** A cron expression (5 or 6 fields) or "off". Checked for shape here, by croner at start-up. */
export const cron = z
  .string()
  .trim()
  .refine((v) => v === "off" || /^(\S+\s+){4,5}\S+$/.test(v), "must be a cron expression or 'off'");

/** One entry per variable: the zod type (input is the raw env string), its default, whether it is secret. */
export type Spec = { schema: z.ZodType; default: string; secret?: boolean; describe: string };
