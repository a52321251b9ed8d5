import { z } from "zod";

/** The crop aspect ratios video.dev offers for a render. */
export const CROP_ASPECT_RATIOS = ["16:9", "1:1", "4:3", "3:4", "4:5", "5:4", "9:16"] as const;

/** One of the crop aspect ratios video.dev offers. */
export type CropAspectRatio = (typeof CROP_ASPECT_RATIOS)[number];

/** What a job spec may say under `videodev`. */
export const videoDevOptions = z
  .object({
    clip: z
      .object({
        startMs: z.number().int().min(0, "must be 0 or more").default(0),
        /** Omitted: the clip runs to the end of the media, as video.dev measured it. */
        endMs: z.number().int().positive("must be more than 0").optional(),
      })
      .strict()
      .refine((clip) => clip.endMs === undefined || clip.endMs > clip.startMs, {
        message: "must be greater than clip.startMs",
        path: ["endMs"],
      })
      .default({ startMs: 0 }),
    crop: z
      .object({
        enabled: z.boolean().default(true),
        aspectRatio: z.enum(CROP_ASPECT_RATIOS, { error: `must be one of ${CROP_ASPECT_RATIOS.join(", ")}` }),
        smartCrop: z.boolean().default(true),
      })
      .strict()
      .default({ enabled: true, aspectRatio: "9:16", smartCrop: true }),
  })
  .strict();
