import { z } from "zod";
import { type DescribedError, type Fetch, ProviderHttpClient } from "../core/ProviderHttpClient";
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
export const VIDEODEV_BASE_URL = "https://api.video.dev/v1";

/** How to reach video.dev. */
export interface VideoDevClientOptions {
  /** `https://api.video.dev/v1`, or a simulator's base URL. */
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

/** Bad input caught before anything is sent; `field` is the path in the caller's input (e.g. `crop.aspectRatio`). */
export class VideoDevInputError extends Error {
  override readonly name = "VideoDevInputError";
  readonly provider = VIDEODEV_PROVIDER;
  readonly operation: string;
  readonly field: string;

  constructor(operation: string, field: string, message: string) {
    super(message);
    this.operation = operation;
    this.field = field;
  }
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
    // Say that the key is missing, never what it is.
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
      throw new VideoDevInputError("configure", "apiKey", "videodev: apiKey is missing or empty");
    }
    if (!URL.canParse(options.baseUrl)) {
      throw new VideoDevInputError(
        "configure",
        "baseUrl",
        `videodev: baseUrl is not a URL (got ${preview(options.baseUrl)})`,
      );
    }
    const headers = { "x-api-key": options.apiKey };
    this.http = new ProviderHttpClient({
      provider: VIDEODEV_PROVIDER,
      baseUrl: options.baseUrl,
      authorizer: { headers: async () => headers },
      describeError: describeVideoDevError,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
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
      path: `/media/${segment(id)}`,
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
      path: `/clip/${segment(valid.clipId)}/render_video`,
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
      path: `/clip/${segment(ids.clipId)}/render/${segment(ids.renderId)}`,
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
  if (typeof body === "string") return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
  if (!isRecord(body)) return undefined;
  const nested = isRecord(body.error) ? body.error : undefined;
  const detailList = Array.isArray(body.detail) ? body.detail.filter(isRecord) : [];
  const fromList = detailList
    .map((item) => {
      const field = fieldOf(item.loc) ?? text(item.field);
      const message = text(item.msg) ?? text(item.message);
      return message === undefined ? undefined : { message: field ? `${field}: ${message}` : message, field };
    })
    .filter((item) => item !== undefined);
  const message =
    text(nested?.message) ??
    text(nested?.detail) ??
    text(body.error) ??
    text(body.message) ??
    text(body.detail) ??
    (fromList.length > 0 ? fromList.map((item) => item.message).join("; ") : undefined) ??
    text(nested?.code) ??
    text(body.code);
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

function validate<T>(operation: string, schema: z.ZodType<T>, input: unknown, root?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const describe = (issue: z.ZodError["issues"][number]) => {
    const path = [root, ...issue.path.map(String)]
      .filter((part) => part !== undefined && part !== "")
      .join(".");
    const value = root === undefined ? valueAt(input, issue.path) : input;
    return { field: path || "(input)", text: `${path || "input"} ${issue.message} (got ${preview(value)})` };
  };
  const described = issues.slice(0, 3).map(describe);
  const first = described[0] ?? { field: root ?? "(input)", text: "input is invalid" };
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : "";
  return throwInput(
    operation,
    first.field,
    `${VIDEODEV_PROVIDER} ${operation}: invalid input: ${described.map((item) => item.text).join("; ")}${more}`,
  );
}

function throwInput(operation: string, field: string, message: string): never {
  throw new VideoDevInputError(operation, field, message);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Shows a rejected value; a URL loses its query string, because a presigned URL's signature is a credential. */
function preview(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") {
    const shown =
      URL.canParse(value) && value.includes("?") ? `${value.slice(0, value.indexOf("?"))}?…` : value;
    return JSON.stringify(shown.length > 120 ? `${shown.slice(0, 120)}…` : shown);
  }
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 120 ? `${json.slice(0, 120)}…` : json;
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function fieldOf(value: unknown): string | undefined {
  if (typeof value === "string") return text(value);
  if (!Array.isArray(value)) return undefined;
  // FastAPI prefixes the location ("body", "query", "path"): the field is what follows.
  const parts = value.filter((part) => typeof part === "string" || typeof part === "number").map(String);
  const trimmed = ["body", "query", "path", "header"].includes(parts[0] ?? "") ? parts.slice(1) : parts;
  return trimmed.length > 0 ? trimmed.join(".") : undefined;
}
