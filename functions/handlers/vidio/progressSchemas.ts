import { z } from "zod";
import { jobFileRef } from "../../pipeline/jobFiles";
import { stageOutput } from "../../pipeline/stepEvent";

/** What the VIDIO steps read back from earlier stages. */
export const uploaded = stageOutput(
  z
    .object({
      uploaded: z.number().int().nonnegative(),
      inputsFile: jobFileRef,
      totalSeconds: z.number(),
      outputLengthSeconds: z.number().int().positive(),
      done: z.boolean(),
    })
    .loose(),
);
export const reel = stageOutput(z.object({ vidioJobId: z.string() }).loose());
