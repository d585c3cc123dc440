// The zod schema of every environment variable the service reads: default, unit, description, composed from
// one file per concern under env/ (in this order: the README table and `validate-env` list them so).
// This file is the single source for config validation, `validate-env` and the README table.

import type { z } from "zod";
import { ACCOUNTS_ENV } from "./env/accounts";
import { ADMIN_MAIL_ENV } from "./env/admin-mail";
import { BOT_ENV } from "./env/bot";
import { HOST_ENV } from "./env/host";
import { HTTP_LIMITS_ENV } from "./env/http-limits";
import { INPUT_LIMITS_ENV } from "./env/input-limits";
import { JOBS_ENV } from "./env/jobs";
import { PAYMENTS_ENV } from "./env/payments";
import { SCHEDULER_ENV } from "./env/scheduler";
import { SERVICE_ENV } from "./env/service";
import { STORAGE_ENV } from "./env/storage";
import type { Spec } from "./kinds";

export const ENV_SPEC = {
  ...SERVICE_ENV,
  ...JOBS_ENV,
  ...INPUT_LIMITS_ENV,
  ...ACCOUNTS_ENV,
  ...HTTP_LIMITS_ENV,
  ...HOST_ENV,
  ...BOT_ENV,
  ...ADMIN_MAIL_ENV,
  ...SCHEDULER_ENV,
  ...PAYMENTS_ENV,
  ...STORAGE_ENV,
} satisfies Record<string, Spec>;

export type EnvName = keyof typeof ENV_SPEC;

/** The parsed, typed configuration. */
export type Config = { [K in EnvName]: z.output<(typeof ENV_SPEC)[K]["schema"]> };

export const ENV_NAMES = Object.keys(ENV_SPEC) as EnvName[];

export function isSecret(name: EnvName): boolean {
  const spec: Spec = ENV_SPEC[name];
  return spec.secret === true;
}
