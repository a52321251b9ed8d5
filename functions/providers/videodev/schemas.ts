/**
 * video.dev's request and response bodies, as zod schemas; every type the client and the simulator use is
 * inferred from here. See README.md for which shapes come from video.dev's reference and which are assumed.
 *
 * Response schemas are tolerant: unknown fields are stripped, not refused, and `null` counts as absent
 * (APIs generated from an OpenAPI model often send `null` for an unset optional), so a field video.dev adds
 * tomorrow does not stop a running pipeline. They stay strict on what we read: ids, statuses and numbers.
 */
import { z } from "zod";
import { optionalField } from "../core/wireSchemas";

import { CROP_ASPECT_RATIOS } from "./options";

// Defined beside the job spec's options, which must not carry the wire schemas into every Lambda.
export { CROP_ASPECT_RATIOS, type CropAspectRatio } from "./options";

/** The events a webhook can subscribe to, on both media imports and renders. */
export const WEBHOOK_EVENTS = ["complete", "error"] as const;

/** The states of a media import, a rendered media and a render. */
export const PROCESSING_STATUSES = ["complete", "processing", "error"] as const;

/** The media types `POST /media/import` accepts. */
export const MEDIA_TYPES = ["video", "audio", "image"] as const;

const id = z.string().min(1);
const milliseconds = z.number().nonnegative();

// A failure reason is not in video.dev's reference: accept a plain string or an object with a message, and
// keep only the words, so a job failure can be reported in the provider's terms when it gives any.
const errorReason = z.union([
  z.string(),
  z
    .object({
      message: optionalField(z.string()),
      detail: optionalField(z.string()),
      code: optionalField(z.string()),
    })
    .transform((error) => error.message ?? error.detail ?? error.code),
]);

/** A webhook registration, as sent and as echoed back. */
export const webhookSchema = z.object({
  url: z.string().min(1),
  events: z.array(z.string()),
});

/** What video.dev reports about a media file; every field but `type` is a number in the reference. */
export const mediaInfoSchema = z.object({
  type: z.string(),
  duration_ms: milliseconds,
  fps: optionalField(z.number().nonnegative()),
  frame_count: optionalField(z.number().int().nonnegative()),
  width: optionalField(z.number().int().nonnegative()),
  height: optionalField(z.number().int().nonnegative()),
  channels: optionalField(z.number().int().nonnegative()),
});

/** A media object (the reference's `source_media`): imported source media or a rendered output. */
export const mediaSchema = z.object({
  status: z.enum(PROCESSING_STATUSES),
  media_id: id,
  media_url: optionalField(z.string().min(1)),
  media_info: optionalField(mediaInfoSchema),
  // `POST /media/import` also echoes `source_media_url`; it is left out on purpose so it is stripped: ours is
  // a presigned URL, and its signature must not travel on into results and logs.
  type: optionalField(z.string()),
  webhook: optionalField(webhookSchema),
  /** Assumed: why the media is in status `error`, when video.dev says. */
  error: optionalField(errorReason),
});

/** A clip: a time range of a source media (`POST /clip`, and `source_clip` in a render). */
export const clipSchema = z.object({
  clip_id: id,
  start_time_ms: milliseconds,
  end_time_ms: milliseconds,
  duration_ms: milliseconds,
  source_media: optionalField(mediaSchema),
});

/** A render status object: `POST /clip/{clip_id}/render_video`, `GET /clip/{clip_id}/render/{render_id}`. */
export const renderSchema = z.object({
  render_id: id,
  status: z.enum(PROCESSING_STATUSES),
  crop: optionalField(
    z.object({
      enabled: z.boolean(),
      // A string, not the enum: a ratio added by video.dev later must not make a finished render unreadable.
      aspect_ratio: z.string(),
      smart_crop: optionalField(z.boolean()),
    }),
  ),
  source_clip: optionalField(clipSchema),
  rendered_media: optionalField(mediaSchema),
  webhook: optionalField(webhookSchema),
  /** Assumed: why the render is in status `error`, when video.dev says. */
  error: optionalField(errorReason),
});

/** Request body of `POST /media/import`. */
export const importMediaRequestSchema = z.object({
  source_media_url: z.url({ protocol: /^https?$/ }),
  type: z.enum(MEDIA_TYPES),
  webhook: optionalField(
    z.object({
      url: z.url({ protocol: /^https?$/ }),
      events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
    }),
  ),
});

/** Request body of `POST /clip`. */
export const createClipRequestSchema = z
  .object({
    start_time_ms: z.number().int().nonnegative(),
    end_time_ms: z.number().int().nonnegative(),
    from_media_id: id,
  })
  .refine((clip) => clip.end_time_ms > clip.start_time_ms, {
    message: "end_time_ms must be greater than start_time_ms",
    path: ["end_time_ms"],
  });

/** Request body of `POST /clip/{clip_id}/render_video`. */
export const renderClipRequestSchema = z.object({
  crop: optionalField(
    z.object({
      enabled: z.boolean(),
      aspect_ratio: z.enum(CROP_ASPECT_RATIOS),
      smart_crop: optionalField(z.boolean()),
    }),
  ),
  webhook: importMediaRequestSchema.shape.webhook,
});

/** Webhook event names: render events are documented, import events are assumed (see README.md). */
export const WEBHOOK_EVENT_NAMES = {
  renderComplete: "render_video_clip.complete",
  renderError: "render_video_clip.error",
  importComplete: "import_media.complete",
  importError: "import_media.error",
} as const;

/** The body video.dev POSTs to a webhook URL: the event name and the object it is about. */
export const webhookEventSchema = z.discriminatedUnion("event", [
  z.object({
    event: z.enum([WEBHOOK_EVENT_NAMES.renderComplete, WEBHOOK_EVENT_NAMES.renderError]),
    body: renderSchema,
  }),
  z.object({
    event: z.enum([WEBHOOK_EVENT_NAMES.importComplete, WEBHOOK_EVENT_NAMES.importError]),
    body: mediaSchema,
  }),
]);

/** A media object as the client returns it. */
export type VideoDevMedia = z.infer<typeof mediaSchema>;
/** Technical facts about a media file. */
export type VideoDevMediaInfo = z.infer<typeof mediaInfoSchema>;
/** A clip as the client returns it. */
export type VideoDevClip = z.infer<typeof clipSchema>;
/** A render status object as the client returns it. */
export type VideoDevRender = z.infer<typeof renderSchema>;
/** A parsed webhook delivery. */
export type VideoDevWebhookEvent = z.infer<typeof webhookEventSchema>;
/** Body of `POST /media/import` as sent. */
export type ImportMediaRequest = z.infer<typeof importMediaRequestSchema>;
/** Body of `POST /clip` as sent. */
export type CreateClipRequest = z.infer<typeof createClipRequestSchema>;
/** Body of `POST /clip/{clip_id}/render_video` as sent. */
export type RenderClipRequest = z.infer<typeof renderClipRequestSchema>;
