import { z } from "zod";

/** What a job spec may say under `apivideo`. */
export const apiVideoOptions = z
  .object({
    public: z.boolean().default(true),
    mp4Support: z.boolean().default(true),
    tags: z.array(z.string().min(1)).max(50).default([]),
    /** api.video accepts chunks of 5-128 MiB; 50 keeps a 1 GiB file to about 20 requests. */
    chunkSizeMiB: z.number().int().min(5, "must be at least 5").max(128, "must be at most 128").default(50),
  })
  .strict();
