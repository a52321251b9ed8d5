import { z } from "zod";
import { jobFileRef } from "../../pipeline/jobFiles";
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

/** Every asset's outcome so far, as the import's job file holds them. */
export const outcomes = z.array(outcome);

/** What the Vidori steps read back: where every asset's outcome so far is kept. */
export const imported = stageOutput(z.object({ outcomesFile: jobFileRef, done: z.boolean() }).loose());
