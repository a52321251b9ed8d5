import { z } from "zod";
import { stageOutput } from "../../pipeline/stepEvent";

/** What the VIDIO steps read back from earlier stages. */
export const uploaded = stageOutput(
  z
    .object({
      inputKeys: z.array(z.string()),
      durationsSeconds: z.array(z.number()),
      totalSeconds: z.number(),
      outputLengthSeconds: z.number().int().positive(),
      done: z.boolean(),
    })
    .loose(),
);
export const reel = stageOutput(z.object({ vidioJobId: z.string() }).loose());
