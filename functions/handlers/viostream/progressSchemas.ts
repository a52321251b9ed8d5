import { z } from "zod";
import { stageOutput } from "../../pipeline/stepEvent";

/** What the Viostream steps read back: the ingest and the job's reference id. */
export const ingested = stageOutput(
  z
    .object({
      referenceId: z.string(),
      ingestId: z.string().optional(),
      createAnswerLost: z.boolean().optional(),
    })
    .loose(),
);
