/**
 * A local video.dev: the documented routes (plus the assumed `GET /media/{media_id}`) served on 127.0.0.1,
 * with asynchronous imports and renders, webhooks and switchable faults. README.md lists what is documented
 * and what the simulator assumes.
 *
 * The import really fetches `source_media_url`, the way video.dev does, so an expired presigned URL or a
 * missing S3 object shows up as a media in status `error`, as it would in production. Only the start of the
 * file is read (the MP4 `moov` box, by `sourceMedia.ts`).
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { ProcessingClock } from "../core/simulator/ProcessingClock";
import { isJsonObject } from "../core/simulator/requestBody";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type { ProviderDialect, SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import { deliverWebhook } from "../core/simulator/webhooks";
import {
  type CropAspectRatio,
  createClipRequestSchema,
  importMediaRequestSchema,
  renderClipRequestSchema,
  type VideoDevClip,
  type VideoDevMedia,
  type VideoDevMediaInfo,
  type VideoDevRender,
  WEBHOOK_EVENT_NAMES,
} from "./schemas";
import { FALLBACK_INFO, type ProbeOutcome, probeSource, readCapped } from "./sourceMedia";

/** The key the simulator accepts unless told otherwise. */
export const DEFAULT_SIMULATOR_API_KEY = "sim-videodev-key";

/** How the simulator behaves. */
export interface VideoDevSimulatorOptions {
  /** The only `X-API-Key` accepted; default `sim-videodev-key`. */
  apiKey?: string;
  /** How long an import or a render stays `processing`; default 300 ms. */
  processingMs?: number;
}

/** One webhook the simulator sent, and what the receiver answered. */
export interface WebhookDelivery {
  url: string;
  event: string;
  body: unknown;
  result: { status: number } | { error: string };
}

/** What the simulator knows about one imported media, for tests. */
export interface SimulatedMedia {
  view: VideoDevMedia;
  sourceUrl: string;
  /** The source's size from its Content-Length, once fetched. */
  sizeBytes: number | undefined;
}

type Webhook = { url: string; events: ("complete" | "error")[] };
/** A media as the simulator sends it: the import and GET answers also echo the source URL. */
type MediaWire = VideoDevMedia & { source_media_url?: string };
type Crop = { enabled: boolean; aspect_ratio: CropAspectRatio; smart_crop: boolean };

interface MediaRecord {
  id: string;
  type: string;
  sourceUrl: string;
  webhook: Webhook | undefined;
  startedAt: number;
  outcome: ProbeOutcome | undefined;
  probe: Promise<void>;
  settled: boolean;
}

interface ClipRecord {
  id: string;
  mediaId: string;
  startMs: number;
  endMs: number;
}

interface RenderRecord {
  id: string;
  clipId: string;
  outputMediaId: string;
  crop: Crop;
  webhook: Webhook | undefined;
  startedAt: number;
  failure: string | undefined;
  settled: boolean;
}

const DEFAULT_CROP: Crop = { enabled: false, aspect_ratio: "16:9", smart_crop: false };
/** Downloads of stored media are buffered (the core server answers with whole bodies): cap them. */
const MAX_STORED_BYTES = 64 * 1024 * 1024;

/**
 * A video.dev simulator over real HTTP: `start()` it, point a `VideoDevClient` at the URL it returns.
 * `stop()` abandons running imports and renders and waits for webhooks already on their way; `idle()`
 * waits until every import and render started so far has settled and its webhook has been sent.
 */
export class VideoDevSimulator extends SimulatedProvider {
  readonly server: SimulatorServer;
  readonly clock: ProcessingClock;
  /** Every webhook sent, in order of completion. */
  readonly webhookDeliveries: WebhookDelivery[] = [];
  /** The one key the simulator accepts: hand it to the client under test. */
  readonly apiKey: string;
  private readonly medias = new Map<string, MediaRecord>();
  private readonly clips = new Map<string, ClipRecord>();
  private readonly renders = new Map<string, RenderRecord>();
  private readonly rendersByOutput = new Map<string, RenderRecord>();
  private readonly importFailures: string[] = [];
  private readonly renderFailures: string[] = [];

  constructor(options: VideoDevSimulatorOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? DEFAULT_SIMULATOR_API_KEY;
    this.clock = new ProcessingClock(options.processingMs ?? 300);
    this.server = new SimulatorServer(
      "video.dev",
      {
        "POST /media/import": this.authed((request) => this.importMedia(request)),
        "GET /media/:mediaId": this.authed((request) => this.getMedia(request)),
        "POST /clip": this.authed((request) => this.createClip(request)),
        "POST /clip/:clipId/render_video": this.authed((request) => this.renderClip(request)),
        "GET /clip/:clipId/render/:renderId": this.authed((request) => this.getRender(request)),
        // Hosted media is public, like a CDN URL: whoever holds media_url can download it.
        "GET /storage/:mediaId/media.mp4": (request) => this.download(request),
      },
      videoDevDialect,
    );
  }

  /** The next import ends in status `error` with this reason, whatever its source. */
  failNextImport(reason: string): void {
    this.importFailures.push(reason);
  }

  /** The next render ends in status `error` with this reason. */
  failNextRender(reason: string): void {
    this.renderFailures.push(reason);
  }

  /** An imported media as `GET /media/{id}` would show it now, with what the simulator learnt of its source. */
  media(mediaId: string): SimulatedMedia | undefined {
    const record = this.medias.get(mediaId);
    if (!record) return undefined;
    return {
      view: this.mediaView(record, true),
      sourceUrl: record.sourceUrl,
      sizeBytes: record.outcome?.sizeBytes,
    };
  }

  /** Every media imported, clip cut and render started so far: a fault suite counts duplicates with it. */
  inventory(): {
    imports: { mediaId: string; sourceUrl: string }[];
    clips: { clipId: string; mediaId: string }[];
    renders: { renderId: string; clipId: string }[];
  } {
    return {
      imports: [...this.medias.values()].map((media) => ({ mediaId: media.id, sourceUrl: media.sourceUrl })),
      clips: [...this.clips.values()].map((clip) => ({ clipId: clip.id, mediaId: clip.mediaId })),
      renders: [...this.renders.values()].map((render) => ({ renderId: render.id, clipId: render.clipId })),
    };
  }

  private readonly authed = guard(
    (request) => request.headers["x-api-key"] === this.apiKey,
    () => failure(401, "unauthorized", "Missing or invalid X-API-Key header"),
  );

  private importMedia(request: SimulatorRequest): SimulatorResponse {
    const body = parseBody(importMediaRequestSchema, request);
    if (!body.ok) return body.response;
    const id = `media_${randomUUID()}`;
    const forced = this.importFailures.shift();
    const record: MediaRecord = {
      id,
      type: body.value.type,
      sourceUrl: body.value.source_media_url,
      webhook: body.value.webhook,
      startedAt: this.clock.stamp(),
      outcome: forced === undefined ? undefined : { ok: false, reason: forced },
      probe: Promise.resolve(),
      settled: false,
    };
    if (forced === undefined) {
      record.probe = this.server.work.track(
        probeSource(record.sourceUrl, this.server.work.signal).then((outcome) => {
          record.outcome = outcome;
        }),
      );
    }
    this.medias.set(id, record);
    this.server.work.after(this.clock.processingMs, async () => {
      await record.probe;
      this.settleMedia(record, true);
    });
    return { status: 200, body: this.mediaView(record, true) };
  }

  private getMedia(request: SimulatorRequest): SimulatorResponse {
    const mediaId = request.params.mediaId ?? "";
    const record = this.medias.get(mediaId);
    if (record) {
      this.settleMedia(record, false);
      return { status: 200, body: this.mediaView(record, true) };
    }
    const render = this.rendersByOutput.get(mediaId);
    if (render) {
      this.settleRender(render, false);
      return { status: 200, body: this.renderedMediaView(render) };
    }
    return failure(404, "not_found", `Media ${mediaId} not found`);
  }

  private createClip(request: SimulatorRequest): SimulatorResponse {
    const body = parseBody(createClipRequestSchema, request);
    if (!body.ok) return body.response;
    const { start_time_ms: startMs, end_time_ms: endMs, from_media_id: mediaId } = body.value;
    const media = this.medias.get(mediaId);
    if (!media) return failure(404, "not_found", `Media ${mediaId} not found`, "from_media_id");
    this.settleMedia(media, false);
    const view = this.mediaView(media, false);
    if (view.status !== "complete") {
      const why = view.status === "error" ? "failed to import" : "is still processing";
      return failure(409, "media_not_ready", `Media ${mediaId} ${why}`, "from_media_id");
    }
    const duration = view.media_info?.duration_ms;
    if (duration !== undefined && endMs > duration) {
      return failure(
        400,
        "invalid_clip_range",
        `end_time_ms ${endMs} is beyond the end of media ${mediaId} (${duration} ms)`,
        "end_time_ms",
      );
    }
    const clip: ClipRecord = { id: `clip_${randomUUID()}`, mediaId, startMs, endMs };
    this.clips.set(clip.id, clip);
    return { status: 200, body: this.clipView(clip) };
  }

  private renderClip(request: SimulatorRequest): SimulatorResponse {
    const clipId = request.params.clipId ?? "";
    const clip = this.clips.get(clipId);
    if (!clip) return failure(404, "not_found", `Clip ${clipId} not found`);
    const body = parseBody(renderClipRequestSchema, request);
    if (!body.ok) return body.response;
    const crop = body.value.crop
      ? { ...body.value.crop, smart_crop: body.value.crop.smart_crop ?? false }
      : DEFAULT_CROP;
    const render: RenderRecord = {
      id: `render_${randomUUID()}`,
      clipId,
      outputMediaId: `media_${randomUUID()}`,
      crop,
      webhook: body.value.webhook,
      startedAt: this.clock.stamp(),
      failure: this.renderFailures.shift(),
      settled: false,
    };
    this.renders.set(render.id, render);
    this.rendersByOutput.set(render.outputMediaId, render);
    this.server.work.after(this.clock.processingMs, () => this.settleRender(render, true));
    return { status: 200, body: this.renderView(render) };
  }

  private getRender(request: SimulatorRequest): SimulatorResponse {
    const clipId = request.params.clipId ?? "";
    const renderId = request.params.renderId ?? "";
    if (!this.clips.has(clipId)) return failure(404, "not_found", `Clip ${clipId} not found`);
    const render = this.renders.get(renderId);
    if (!render || render.clipId !== clipId) {
      return failure(404, "not_found", `Render ${renderId} not found for clip ${clipId}`);
    }
    this.settleRender(render, false);
    return { status: 200, body: this.renderView(render) };
  }

  private async download(request: SimulatorRequest): Promise<SimulatorResponse> {
    const mediaId = request.params.mediaId ?? "";
    const imported = this.medias.get(mediaId);
    const render = this.rendersByOutput.get(mediaId);
    const clip = render ? this.clips.get(render.clipId) : undefined;
    const ready = imported
      ? this.mediaView(imported, false).status === "complete"
      : render !== undefined && this.renderView(render).status === "complete";
    const source = imported ?? (clip ? this.medias.get(clip.mediaId) : undefined);
    if (!ready || !source) return failure(404, "not_found", `Media ${mediaId} not found`);
    // The simulator does not re-encode: a rendered media's bytes are its source's bytes.
    const bytes = await readCapped(source.sourceUrl, MAX_STORED_BYTES, this.server.work.signal);
    if (!bytes.ok)
      return failure(502, "storage_unavailable", `Stored media ${mediaId} is unavailable: ${bytes.reason}`);
    return { status: 200, raw: bytes.value, headers: { "content-type": "video/mp4" } };
  }

  private settleMedia(record: MediaRecord, timerFired: boolean): void {
    if (record.settled || record.outcome === undefined) return;
    if (!timerFired && !this.clock.done(record.startedAt)) return;
    record.settled = true;
    const view = this.mediaView(record, true);
    const event =
      view.status === "complete" ? WEBHOOK_EVENT_NAMES.importComplete : WEBHOOK_EVENT_NAMES.importError;
    this.notify(record.webhook, event, view);
  }

  private settleRender(render: RenderRecord, timerFired: boolean): void {
    if (render.settled) return;
    if (!timerFired && !this.clock.done(render.startedAt)) return;
    render.settled = true;
    const view = this.renderView(render);
    const event =
      view.status === "complete" ? WEBHOOK_EVENT_NAMES.renderComplete : WEBHOOK_EVENT_NAMES.renderError;
    this.notify(render.webhook, event, view);
  }

  private notify(webhook: Webhook | undefined, event: string, body: unknown): void {
    if (!webhook || this.server.work.stopped) return;
    const kind = event.endsWith(".complete") ? "complete" : "error";
    if (!webhook.events.includes(kind)) return;
    this.server.work.track(
      deliverWebhook(webhook.url, { event, body }).then((result) => {
        this.webhookDeliveries.push({ url: webhook.url, event, body, result });
      }),
    );
  }

  private mediaView(record: MediaRecord, withSource: boolean): MediaWire {
    const echo = withSource ? { source_media_url: record.sourceUrl, type: record.type } : {};
    const webhook = withSource && record.webhook ? { webhook: record.webhook } : {};
    if (!record.settled || record.outcome === undefined) {
      return { status: "processing", media_id: record.id, ...echo, ...webhook };
    }
    if (!record.outcome.ok) {
      return { status: "error", media_id: record.id, ...echo, ...webhook, error: record.outcome.reason };
    }
    return {
      status: "complete",
      media_id: record.id,
      media_url: this.storageUrl(record.id),
      media_info: { ...record.outcome.info, type: record.type },
      ...echo,
      ...webhook,
    };
  }

  private clipView(clip: ClipRecord): VideoDevClip {
    const media = this.medias.get(clip.mediaId);
    return {
      clip_id: clip.id,
      start_time_ms: clip.startMs,
      end_time_ms: clip.endMs,
      duration_ms: clip.endMs - clip.startMs,
      ...(media ? { source_media: this.mediaView(media, false) } : {}),
    };
  }

  private renderView(render: RenderRecord): VideoDevRender {
    const clip = this.clips.get(render.clipId);
    const rendered = this.renderedMediaView(render);
    return {
      crop: render.crop,
      status: rendered.status,
      render_id: render.id,
      ...(clip ? { source_clip: this.clipView(clip) } : {}),
      rendered_media: rendered,
      ...(render.webhook ? { webhook: render.webhook } : {}),
      ...(rendered.status === "error" && render.failure !== undefined ? { error: render.failure } : {}),
    };
  }

  private renderedMediaView(render: RenderRecord): VideoDevMedia {
    if (!render.settled) return { status: "processing", media_id: render.outputMediaId };
    if (render.failure !== undefined)
      return { status: "error", media_id: render.outputMediaId, error: render.failure };
    const clip = this.clips.get(render.clipId);
    const media = clip ? this.medias.get(clip.mediaId) : undefined;
    const source = media ? this.mediaView(media, false).media_info : undefined;
    if (!clip || !source)
      return { status: "error", media_id: render.outputMediaId, error: "source media is gone" };
    return {
      status: "complete",
      media_id: render.outputMediaId,
      media_url: this.storageUrl(render.outputMediaId),
      media_info: renderedInfo(source, clip.endMs - clip.startMs, render.crop),
    };
  }

  private storageUrl(mediaId: string): string {
    return `${this.server.baseUrl}/storage/${encodeURIComponent(mediaId)}/media.mp4`;
  }
}

/**
 * The size of a crop: the largest rectangle of the target ratio inside the source, each side rounded down to
 * an even number (video encoders need even sizes). 320x180 cropped to 9:16 gives 100x180.
 */
export function cropDimensions(
  width: number,
  height: number,
  aspectRatio: CropAspectRatio,
): { width: number; height: number } {
  const [ratioWidth = 1, ratioHeight = 1] = aspectRatio.split(":").map(Number);
  const even = (value: number) => Math.max(2, Math.floor(value / 2) * 2);
  if (width * ratioHeight > height * ratioWidth)
    return { width: even((height * ratioWidth) / ratioHeight), height };
  if (width * ratioHeight < height * ratioWidth)
    return { width, height: even((width * ratioHeight) / ratioWidth) };
  return { width, height };
}

function renderedInfo(source: VideoDevMediaInfo, durationMs: number, crop: Crop): VideoDevMediaInfo {
  const fps = source.fps ?? FALLBACK_INFO.fps;
  const size =
    crop.enabled && source.width !== undefined && source.height !== undefined
      ? cropDimensions(source.width, source.height, crop.aspect_ratio)
      : { width: source.width, height: source.height };
  return {
    type: "video",
    duration_ms: durationMs,
    fps,
    frame_count: Math.round((durationMs * fps) / 1000),
    width: size.width,
    height: size.height,
    channels: source.channels ?? 0,
  };
}

const videoDevDialect: ProviderDialect = {
  rateLimited: (retryAfterSeconds) => ({
    ...failure(429, "rate_limited", "Too many requests, slow down"),
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  unavailable: (status) => failure(status, "service_unavailable", "Service temporarily unavailable"),
  notFound: (path) => failure(404, "not_found", `No route for ${path}`),
};

/** An error in the format the simulator assumes for video.dev (README.md): `{"error": {code, message, field?}}`. */
function failure(status: number, code: string, message: string, field?: string): SimulatorResponse {
  return { status, body: { error: { code, message, ...(field === undefined ? {} : { field }) } } };
}

function parseBody<T>(
  schema: z.ZodType<T>,
  request: SimulatorRequest,
): { ok: true; value: T } | { ok: false; response: SimulatorResponse } {
  if (!isJsonObject(request.json)) {
    return { ok: false, response: failure(400, "invalid_json", "The request body must be a JSON object") };
  }
  const result = schema.safeParse(request.json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  const message = `${field ?? "body"}: ${issue?.message ?? "invalid"}`;
  return { ok: false, response: failure(422, "validation_error", message, field) };
}
