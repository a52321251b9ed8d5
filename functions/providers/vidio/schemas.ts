/**
 * VIDIO's request and response bodies, as zod schemas; every type the client and the simulator use is
 * inferred from here. VIDIO documents a Python client, not its REST API, so most wire shapes below are
 * assumed: README.md says which, and why.
 *
 * Response schemas are tolerant: unknown fields are stripped, not refused, and `null` counts as absent, so a
 * field VIDIO adds tomorrow does not stop a running pipeline. They stay strict on what we read: ids,
 * statuses and the output URL.
 */
import { z } from "zod";
import { optionalField } from "../core/wireSchemas";

import { REEL_ASPECT_RATIOS, VIDEO_CATEGORIES } from "./options";

// Defined beside the job spec's options, which must not carry the wire schemas into every Lambda.
export { REEL_ASPECT_RATIOS, type ReelAspectRatio, VIDEO_CATEGORIES, type VideoCategory } from "./options";

/** Where a highlight-reel job stands (assumed values: the reference only says "completed state"). */
export const JOB_STATUSES = ["queued", "processing", "completed", "failed"] as const;

/** Where a render stands (assumed values). */
export const RENDER_STATUSES = ["rendering", "completed", "failed"] as const;

/** At most this many inputs in one reel (design brief). */
export const MAX_INPUT_KEYS = 400;

/** All inputs together must be shorter than 6 hours (design brief), so the output must be too. */
export const MAX_TOTAL_INPUT_SECONDS = 6 * 60 * 60;

const id = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/ });

// A failure reason is not documented: accept a plain string or an object with a message, and keep only the
// words, so a failed job can be reported in VIDIO's own terms when it gives any.
const errorReason = z.union([
  z.string(),
  z
    .object({
      message: optionalField(z.string()),
      type: optionalField(z.string()),
      code: optionalField(z.string()),
    })
    .transform((error) => error.message ?? error.type ?? error.code),
]);

/** Request body of the upload-slot call (assumed: `POST /uploads`). */
export const createUploadRequestSchema = z.object({
  filename: z.string().trim().min(1),
  size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  content_type: z.string().trim().min(1),
});

/** Answer of the upload-slot call: the key to name the input by, and where to PUT its bytes. */
export const uploadSlotSchema = z.object({
  input_key: id,
  upload_url: httpUrl,
});

/** Request body of `create_highlight_reel`, field names as in VIDIO's Python reference. */
export const createHighlightReelRequestSchema = z.object({
  input_keys: z
    .array(z.string().refine((key) => key.trim() !== "", "must not be empty"))
    .min(1, "must list at least one input key")
    .max(MAX_INPUT_KEYS, `must list at most ${MAX_INPUT_KEYS} input keys`),
  video_category: z.enum(VIDEO_CATEGORIES),
  output_length: z
    .number()
    .int("must be a whole number of seconds")
    .positive("must be at least 1 second")
    .max(MAX_TOTAL_INPUT_SECONDS - 1, "must be under 6 hours (21600 s), the limit on total input"),
  aspect_ratio: z.enum(REEL_ASPECT_RATIOS),
});

/** A highlight-reel job: the answer to create and to get_job. */
export const jobSchema = z.object({
  job_id: id,
  status: z.enum(JOB_STATUSES),
  // Echoes of the request are read loosely: a value VIDIO adds later must not make a job unreadable.
  input_keys: optionalField(z.array(z.string())),
  video_category: optionalField(z.string()),
  output_length: optionalField(z.number()),
  aspect_ratio: optionalField(z.string()),
  /** Why the job failed, when VIDIO says. */
  error: optionalField(errorReason),
});

/** A render: the answer to render and to the render status call; `output_url` once completed. */
export const renderSchema = z
  .object({
    job_id: id,
    status: z.enum(RENDER_STATUSES),
    output_url: optionalField(httpUrl),
    /** Why the render failed, when VIDIO says. */
    error: optionalField(errorReason),
  })
  .refine((render) => render.status !== "completed" || render.output_url !== undefined, {
    // A completed render without its URL is the one answer a pipeline cannot use: refuse it loudly.
    message: "a completed render must carry output_url",
    path: ["output_url"],
  });

/** VIDIO's error body (design brief); `param` / `field` naming the input at fault is assumed. */
export const errorBodySchema = z.object({
  error: z.object({
    type: optionalField(z.string()),
    message: optionalField(z.string()),
    param: optionalField(z.string()),
    field: optionalField(z.string()),
  }),
});

/** Writes a validation path the way people read it: `["input_keys", 2]` becomes `input_keys[2]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    const name = String(part);
    return text === "" ? name : `${text}.${name}`;
  }, "");
}

/** Body of the upload-slot call as sent. */
export type CreateUploadRequest = z.infer<typeof createUploadRequestSchema>;
/** An upload slot as VIDIO answers it. */
export type VidioUploadSlot = z.infer<typeof uploadSlotSchema>;
/** Body of create_highlight_reel as sent. */
export type CreateHighlightReelRequest = z.infer<typeof createHighlightReelRequestSchema>;
/** A highlight-reel job as the client returns it. */
export type VidioJob = z.infer<typeof jobSchema>;
/** Where a job stands. */
export type VidioJobStatus = VidioJob["status"];
/** A render as the client returns it. */
export type VidioRender = z.infer<typeof renderSchema>;
/** Where a render stands. */
export type VidioRenderStatus = VidioRender["status"];
