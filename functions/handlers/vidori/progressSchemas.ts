import { z } from "zod";
import { stageOutput } from "../../pipeline/stepEvent";

const outcome = z.union([
  z
    .object({
      index: z.number().int(),
      status: z.literal("accepted"),
      assetId: z.string(),
      jobId: z.string(),
      warnings: z.array(z.string()),
    })
    .loose(),
  z
    .object({
      index: z.number().int(),
      status: z.literal("failed"),
      error: z.string(),
      field: z.string().optional(),
    })
    .loose(),
]);

/** What the Vidori steps read back: every asset's outcome so far. */
export const imported = stageOutput(z.object({ outcomes: z.array(outcome), done: z.boolean() }).loose());
