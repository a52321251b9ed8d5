import { z } from "zod";
import { apiKeyHttpClient } from "../core/clientOptions";
import { describePlainText, isRecord, textOf } from "../core/errorBodies";
import { parseOrThrow } from "../core/InvalidInputError";
import type { DescribedError, Fetch, ProviderHttpClient } from "../core/ProviderHttpClient";
import { videoDevProvider } from "./provider";
import {
  CROP_ASPECT_RATIOS,
  type CreateClipRequest,
  type CropAspectRatio,
  clipSchema,
  type ImportMediaRequest,
  mediaSchema,
  type RenderClipRequest,
  renderSchema,
  type VideoDevClip,
  type VideoDevMedia,
  type VideoDevRender,
  WEBHOOK_EVENTS,
} from "./schemas";

export {
  CROP_ASPECT_RATIOS,
  type CropAspectRatio,
  type VideoDevClip,
  type VideoDevMedia,
  type VideoDevRender,
};

/** The provider name carried by every error this client throws (and the `/webhooks/{provider}` path). */
export const VIDEODEV_PROVIDER = "videodev";

/** Where the real service lives. */
export const VIDEODEV_BASE_URL = videoDevProvider.baseUrl;

/** How to reach video.dev. */
export interface VideoDevClientOptions {
  /** `VIDEODEV_BASE_URL`, or a simulator's base URL. */
  baseUrl: string;
  /** A static key sent as `X-API-Key`; video.dev documents no token exchange, so nothing is refreshed. */
  apiKey: string;
  fetch?: Fetch;
  timeoutMs?: number;
}

/** A webhook to register with an import or a render. */
export interface VideoDevWebhook {
  url: string;
  events: ("complete" | "error")[];
}

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" });
const nonEmpty = z.string({ error: "must be a string" }).trim().min(1, "must not be empty");
const milliseconds = z
  .number({ error: "must be a number of milliseconds" })
  .int("must be a whole number of milliseconds")
  .nonnegative("must be >= 0");

const webhookInput = z
  .object({
    url: httpUrl,
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(", ")}` }))
      .min(1, "must name at least one event"),
  })
  .optional();

const importMediaInput = z.object({ sourceMediaUrl: httpUrl, webhook: webhookInput });
const createClipInput = z
  .object({ mediaId: nonEmpty, startTimeMs: milliseconds, endTimeMs: milliseconds })
  .refine((input) => input.endTimeMs > input.startTimeMs, {
    message: "must be greater than startTimeMs",
    path: ["endTimeMs"],
  });
const renderIds = z.object({ clipId: nonEmpty, renderId: nonEmpty });
const renderClipInput = z.object({
  clipId: nonEmpty,
  crop: z.object({
    enabled: z.boolean({ error: "must be a boolean" }),
    aspectRatio: z.enum(CROP_ASPECT_RATIOS, { error: `must be one of ${CROP_ASPECT_RATIOS.join(", ")}` }),
    smartCrop: z.boolean({ error: "must be a boolean" }),
  }),
  webhook: webhookInput,
});

/**
 * video.dev's REST API: import a media from a URL, cut a clip, render it with an optional crop, read the
 * results. Creates are never retried here: video.dev documents no idempotency key, so a retry after an
 * ambiguous failure could start a second (billed) render; that decision belongs to the caller.
 */
export class VideoDevClient {
  private readonly http: ProviderHttpClient;

  constructor(options: VideoDevClientOptions) {
    this.http = apiKeyHttpClient(VIDEODEV_PROVIDER, options, describeVideoDevError);
  }

  /** Starts an asynchronous import of a video that video.dev downloads from `sourceMediaUrl` (a presigned GET). */
  async importMedia(input: { sourceMediaUrl: string; webhook?: VideoDevWebhook }): Promise<VideoDevMedia> {
    const valid = validate("importMedia", importMediaInput, input);
    const body: ImportMediaRequest = {
      source_media_url: valid.sourceMediaUrl,
      type: "video",
      ...(valid.webhook ? { webhook: valid.webhook } : {}),
    };
    return this.http.request({
      operation: "importMedia",
      method: "POST",
      path: "/media/import",
      json: body,
      schema: mediaSchema,
    });
  }

  /** Reads a media's status and, once complete, its hosted URL and media_info. */
  async getMedia(mediaId: string): Promise<VideoDevMedia> {
    const id = validate("getMedia", nonEmpty, mediaId, "mediaId");
    return this.http.request({
      operation: "getMedia",
      method: "GET",
      path: `/media/${encodeURIComponent(id)}`,
      schema: mediaSchema,
    });
  }

  /** Defines a clip (a time range) of an imported media; the media must have finished importing. */
  async createClip(input: {
    mediaId: string;
    startTimeMs: number;
    endTimeMs: number;
  }): Promise<VideoDevClip> {
    const valid = validate("createClip", createClipInput, input);
    const body: CreateClipRequest = {
      start_time_ms: valid.startTimeMs,
      end_time_ms: valid.endTimeMs,
      from_media_id: valid.mediaId,
    };
    return this.http.request({
      operation: "createClip",
      method: "POST",
      path: "/clip",
      json: body,
      schema: clipSchema,
    });
  }

  /** Starts rendering a clip, optionally cropped to an aspect ratio around the main subject (smart crop). */
  async renderClip(input: {
    clipId: string;
    crop: { enabled: boolean; aspectRatio: CropAspectRatio; smartCrop: boolean };
    webhook?: VideoDevWebhook;
  }): Promise<VideoDevRender> {
    const valid = validate("renderClip", renderClipInput, input);
    const body: RenderClipRequest = {
      crop: {
        enabled: valid.crop.enabled,
        aspect_ratio: valid.crop.aspectRatio,
        smart_crop: valid.crop.smartCrop,
      },
      ...(valid.webhook ? { webhook: valid.webhook } : {}),
    };
    return this.http.request({
      operation: "renderClip",
      method: "POST",
      path: `/clip/${encodeURIComponent(valid.clipId)}/render_video`,
      json: body,
      schema: renderSchema,
    });
  }

  /** Reads a render's status; once complete, `rendered_media` carries the output URL and media_info. */
  async getRender(clipId: string, renderId: string): Promise<VideoDevRender> {
    const ids = validate("getRender", renderIds, { clipId, renderId });
    return this.http.request({
      operation: "getRender",
      method: "GET",
      path: `/clip/${encodeURIComponent(ids.clipId)}/render/${encodeURIComponent(ids.renderId)}`,
      schema: renderSchema,
    });
  }
}

/**
 * Reads a video.dev error body. Its format is not documented, so this accepts the common shapes:
 * `{"error": {"message", "code", "field"}}`, `{"error": "..."}`, `{"message", "field"}`, `{"detail": "..."}`
 * and FastAPI's validation list `{"detail": [{"loc": ["body", "field"], "msg"}]}`.
 */
export function describeVideoDevError(_status: number, body: unknown): DescribedError | undefined {
  if (typeof body === "string") return describePlainText(body);
  if (!isRecord(body)) return undefined;
  const nested = isRecord(body.error) ? body.error : undefined;
  const detailList = Array.isArray(body.detail) ? body.detail.filter(isRecord) : [];
  const fromList = detailList
    .map((item) => {
      const field = fieldOf(item.loc) ?? textOf(item.field);
      const message = textOf(item.msg) ?? textOf(item.message);
      return message === undefined ? undefined : { message: field ? `${field}: ${message}` : message, field };
    })
    .filter((item) => item !== undefined);
  const message =
    textOf(nested?.message) ??
    textOf(nested?.detail) ??
    textOf(body.error) ??
    textOf(body.message) ??
    textOf(body.detail) ??
    (fromList.length > 0 ? fromList.map((item) => item.message).join("; ") : undefined) ??
    textOf(nested?.code) ??
    textOf(body.code);
  if (message === undefined) return undefined;
  const field =
    fieldOf(nested?.field) ??
    fieldOf(nested?.param) ??
    fieldOf(nested?.loc) ??
    fieldOf(body.field) ??
    fieldOf(body.param) ??
    fromList[0]?.field;
  return field === undefined ? { message } : { message, field };
}

/** Checks an operation's input before anything is sent; a failure is an InvalidInputError naming the field. */
function validate<T>(operation: string, schema: z.ZodType<T>, input: unknown, root?: string): T {
  return parseOrThrow(schema, input, "input", { provider: VIDEODEV_PROVIDER, operation, root });
}

function fieldOf(value: unknown): string | undefined {
  if (typeof value === "string") return textOf(value);
  if (!Array.isArray(value)) return undefined;
  // FastAPI prefixes the location ("body", "query", "path"): the field is what follows.
  const parts = value.filter((part) => typeof part === "string" || typeof part === "number").map(String);
  const trimmed = ["body", "query", "path", "header"].includes(parts[0] ?? "") ? parts.slice(1) : parts;
  return trimmed.length > 0 ? trimmed.join(".") : undefined;
}
