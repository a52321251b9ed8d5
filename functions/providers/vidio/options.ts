import { z } from "zod";

/** The video categories VIDIO's reference lists; `others` is its catch-all. */
export const VIDEO_CATEGORIES = [
  "podcast",
  "ball-sports",
  "non-ball-sports",
  "beauty-product-demo",
  "wedding",
  "travel",
  "others",
] as const;

/** One of VIDIO's video categories. */
export type VideoCategory = (typeof VIDEO_CATEGORIES)[number];

/** The output aspect ratios VIDIO's reference names. */
export const REEL_ASPECT_RATIOS = ["landscape", "portrait", "square"] as const;

/** One of VIDIO's output aspect ratios. */
export type ReelAspectRatio = (typeof REEL_ASPECT_RATIOS)[number];

/** What a job spec may say under `vidio`. */
export const vidioOptions = z
  .object({
    videoCategory: z
      .enum(VIDEO_CATEGORIES, { error: `must be one of ${VIDEO_CATEGORIES.join(", ")}` })
      .default("others"),
    aspectRatio: z
      .enum(REEL_ASPECT_RATIOS, { error: `must be one of ${REEL_ASPECT_RATIOS.join(", ")}` })
      .default("landscape"),
    /** Omitted: 30 s, or the inputs' total length when that is shorter. */
    outputLengthSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .positive("must be more than 0")
      .optional(),
  })
  .strict();
