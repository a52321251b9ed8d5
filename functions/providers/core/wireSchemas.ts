import type { z } from "zod";

/**
 * An optional field of a provider's answer that may also come as `null`: absent, `undefined` and `null` all
 * read as absent. Providers blank fields with `null` as readily as they leave them out, and a running
 * pipeline must not stop on the difference. The wire type (`z.input`) still admits `null`.
 */
export function optionalField<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();
}
