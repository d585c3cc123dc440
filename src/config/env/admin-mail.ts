// The admin HTTP API's token, the first admin account, and account mail (SMTP, sender).

import { z } from "zod";
import type { Spec } from "../kinds";

export const ADMIN_MAIL_ENV = {
  MM_ADMIN_TOKEN: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === "" || v.length >= 16, "must be at least 16 characters"),
    default: "",
    secret: true,
    describe: "Bearer token for /api/admin/* (empty = admin HTTP off)",
  },
  MM_ADMIN_EMAIL: {
    schema: z.union([z.literal(""), z.string().trim().toLowerCase().pipe(z.email("must be an e-mail"))]),
    default: "",
    describe:
      "On first start, an admin account with this e-mail and a one-time password printed once to the log",
  },
  MM_SMTP_URL: {
    schema: z
      .string()
      .trim()
      .refine((v) => v === "" || /^smtps?:\/\//.test(v), "must start with smtp:// or smtps://"),
    default: "",
    secret: true,
    describe:
      "SMTP server for account mail (smtps://user:pass@host:465); empty = mail goes to the log, e-mail confirmation not required",
  },
  MM_MAIL_FROM: {
    schema: z.string().trim().min(3),
    default: "Magic Master <noreply@localhost>",
    describe: "Sender (From) of account mail",
  },
} satisfies Record<string, Spec>;
