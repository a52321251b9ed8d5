import { z } from "zod";
import { refuseUnsafeUrl } from "../../pipeline/outbound/outboundUrlProblem";

/** Vidori's documented limit on assets in one import request. */
export const MAX_ASSETS_PER_REQUEST = 50;

/** The asset types Vidori accepts; it uses `MOVIE` when none is given. */
export const ASSET_TYPES = ["MOVIE", "EPISODE", "SERIES", "SEASON", "CHANNEL", "EVENT", "NEWS"] as const;

/** One of Vidori's asset types. */
export type AssetType = (typeof ASSET_TYPES)[number];

/** What a job spec may say under `vidori`. */
export const vidoriOptions = z
  .object({
    type: z.enum(ASSET_TYPES, { error: `must be one of ${ASSET_TYPES.join(", ")}` }).default("MOVIE"),
    description: z.string().max(5000).optional(),
    genres: z.array(z.string().min(1)).default([]),
    tags: z.array(z.string().min(1)).default([]),
    productionYear: z.number().int("must be a whole year").min(1870).max(2100).optional(),
    posterUrl: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .superRefine(refuseUnsafeUrl)
      .optional(),
    contentGroups: z.array(z.string().min(1)).default([]),
    /** HLS/DASH manifest URLs are linked as Vidori `external_url` (no download or transcode). */
    linkManifests: z.boolean().default(true),
  })
  .strict();
