import { z } from "zod";

/** A claimed manifest, as the state machine passes it from step to step. */
export const claimedManifestSchema = z.object({
  manifestId: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/),
  file: z.string().min(1),
  format: z.enum(["jsonl", "csv"]),
  key: z.string().startsWith("imports/processing/"),
});
