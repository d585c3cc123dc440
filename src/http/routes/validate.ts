// Our one wrapper over @hono/zod-validator: every failed check becomes AppError invalid_request (400) with
// issues reduced to path + message, so every route fails the same way and no route writes its own hook.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError } from "../../errors";

/** Joins zod issues into "path: message; …" (no input values are echoed beyond what messages say). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

export const v = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success)
      throw new AppError("invalid_request", 400, { details: describeIssues(result.error.issues) });
  });
