// Builds a public answer from its documented zod schema: copies from a value exactly the fields the schema
// declares, recursively, so an internal object (a row, a health report, an analysis) can never leak an
// undocumented field into JSON. Values are not re-validated here (the tests parse every answer strictly).
import { z } from "zod";

function copy(schema: z.ZodType, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodReadonly
  )
    return copy(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodObject) {
    if (typeof value !== "object" || Array.isArray(value)) return value;
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      if (src[key] !== undefined) out[key] = copy(field, src[key]);
    }
    return out;
  }
  if (schema instanceof z.ZodArray)
    return Array.isArray(value) ? value.map((v) => copy(schema.element as z.ZodType, v)) : value;
  if (schema instanceof z.ZodTuple)
    return Array.isArray(value)
      ? value.map((v, i) => copy((schema.def.items[i] ?? z.unknown()) as z.ZodType, v))
      : value;
  if (schema instanceof z.ZodRecord) {
    if (typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        copy(schema.valueType as z.ZodType, v),
      ]),
    );
  }
  if (schema instanceof z.ZodUnion) {
    // The first option the value already satisfies decides the shape (unions here are of disjoint shapes).
    const options = schema.options as readonly z.ZodType[];
    const fit = options.find((o) => o.safeParse(value).success) ?? options[0];
    return fit ? copy(fit, value) : value;
  }
  return value;
}

/** `value` reduced to the fields `schema` documents. */
export function project<S extends z.ZodType>(schema: S, value: z.output<S>): z.output<S> {
  return copy(schema, value) as z.output<S>;
}

/** Compile-time check that two key sets are equal (an internal type gained or lost a documented field). */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { missing_from_schema: Exclude<keyof A, keyof B>; missing_from_type: Exclude<keyof B, keyof A> };
