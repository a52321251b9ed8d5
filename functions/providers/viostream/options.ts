import { z } from "zod";

/** What a job spec may say under `viostream`. */
export const viostreamOptions = z
  .object({
    /** The title Viostream shows; default: the job's title or the file name. */
    filename: z.string().trim().min(1).max(256).optional(),
  })
  .strict();
