/**
 * A local api.video: token auth, videos, chunked source upload, simulated ingest and encoding, webhooks.
 * It follows the contract written down in README.md (seed document plus listed assumptions), so the
 * client and the pipeline can be tested over real HTTP without an account.
 */

import { randomId, randomToken } from "../core/simulator/ids";
import { ProcessingClock } from "../core/simulator/ProcessingClock";
import { isJsonObject } from "../core/simulator/requestBody";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type { RouteTable, SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import { deliverWebhook, signBody } from "../core/simulator/webhooks";
import { type ReceivedRange, receiveUpload, type UploadMode, type UploadState } from "./SourceUpload";
import {
  type ApiVideoStatus,
  type ApiVideoVideo,
  type ApiVideoWebhook,
  authenticateRequestSchema,
  createVideoRequestSchema,
  createWebhookRequestSchema,
  type MetadataEntry,
  QUALITY_COMPLETED_EVENT,
  type QualityCompletedEvent,
  refreshRequestSchema,
} from "./schemas";
import { type Rendition, renditionsOf, videoStatus } from "./simulatedEncoding";
import { paginate, readPaging } from "./simulatorPaging";
import { apiVideoDialect, attributeProblem, problem } from "./simulatorProblems";

export type { ReceivedRange } from "./SourceUpload";

export interface ApiVideoSimulatorOptions {
  /** The one API key the simulator accepts; default `sim-apivideo-key`. */
  apiKey?: string;
  /** How long ingest plus encoding takes, in milliseconds; default 300. */
  processingMs?: number;
  /** Lifetime of issued access tokens; default 3600, as api.video documents. */
  tokenTtlSeconds?: number;
  /** When set, every webhook gets this signatureSecret (tests can sign without asking); otherwise a random one. */
  webhookSecret?: string;
  /** The simulator's clock, for token expiry and processing progress; tests step it by hand. */
  now?: () => number;
}

/** What a test can inspect of one simulated video. */
export interface SimulatedVideoView {
  videoId: string;
  title: string;
  metadata: MetadataEntry[];
  /** The URL given at creation, when the video was created from one. */
  sourceUrl: string | undefined;
  upload:
    | {
        mode: UploadMode;
        /** Final size, once known. */
        total: number | undefined;
        receivedBytes: number;
        /** Every chunk that added bytes, in arrival order. */
        chunks: ReceivedRange[];
        complete: boolean;
        /** Hex SHA-256 of the assembled file, once complete. */
        sha256: string | undefined;
      }
    | undefined;
  processingStarted: boolean;
  failEncoding: boolean;
}

/** One webhook the simulator sent, with what the receiver answered. */
export interface SimulatedDelivery {
  url: string;
  body: string;
  signature: string;
  result: { status: number } | { error: string };
}

interface VideoState {
  videoId: string;
  title: string;
  description: string;
  public: boolean;
  mp4Support: boolean;
  tags: string[];
  metadata: MetadataEntry[];
  createdAt: string;
  updatedAt: string;
  sourceUrl: string | undefined;
  upload: UploadState | undefined;
  processingStartedAt: number | undefined;
  failEncoding: boolean;
}

const DEFAULT_API_KEY = "sim-apivideo-key";

/** The api.video simulator; `server` exposes fault switches and the request log. */
export class ApiVideoSimulator extends SimulatedProvider {
  readonly server: SimulatorServer;
  readonly clock: ProcessingClock;
  /** Every webhook delivery attempted, for tests that check signatures and payloads. */
  readonly deliveries: SimulatedDelivery[] = [];
  /** The key this simulator accepts: not a secret, local runs hand it to their client. */
  readonly apiKey: string;
  private readonly tokenTtlSeconds: number;
  private readonly webhookSecret: string | undefined;
  private readonly now: () => number;
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Set<string>();
  private readonly videos = new Map<string, VideoState>();
  private readonly webhooks: ApiVideoWebhook[] = [];
  private failNext = 0;

  constructor(options: ApiVideoSimulatorOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.webhookSecret = options.webhookSecret;
    this.now = options.now ?? Date.now;
    this.clock = new ProcessingClock(options.processingMs ?? 300, this.now);
    this.server = new SimulatorServer("api.video", this.routes(), apiVideoDialect);
  }

  /** The base URL, once started. */
  get baseUrl(): string {
    return this.server.baseUrl;
  }

  /** Invalidates every access token issued so far; refresh tokens and the API key still work. */
  expireTokens(): void {
    this.accessTokens.clear();
  }

  /** Makes the encoding of one video fail: its renditions end `failed` and it never becomes playable. */
  failEncoding(videoId: string): void {
    const video = this.videos.get(videoId);
    if (!video) throw new Error(`api.video simulator: no video ${videoId}`);
    video.failEncoding = true;
  }

  /** Makes the encoding of the next video that starts processing fail; called n times, of the next n. */
  failNextEncoding(): void {
    this.failNext += 1;
  }

  /** The id of every video created so far, in creation order: a fault suite counts duplicates with it. */
  videoIds(): string[] {
    return [...this.videos.keys()];
  }

  /** A copy of what the simulator holds for one video, or `undefined`. */
  video(videoId: string): SimulatedVideoView | undefined {
    const video = this.videos.get(videoId);
    if (!video) return undefined;
    const upload = video.upload;
    return {
      videoId: video.videoId,
      title: video.title,
      metadata: video.metadata.map((entry) => ({ ...entry })),
      sourceUrl: video.sourceUrl,
      upload: upload && {
        mode: upload.mode,
        total: upload.total,
        receivedBytes: upload.nextOffset,
        chunks: upload.chunks.map((chunk) => ({ ...chunk })),
        complete: upload.complete,
        sha256: upload.sha256,
      },
      processingStarted: video.processingStartedAt !== undefined,
      failEncoding: video.failEncoding,
    };
  }

  private routes(): RouteTable {
    return {
      "POST /auth/api-key": (request) => this.authenticate(request),
      "POST /auth/refresh": (request) => this.refresh(request),
      "GET /videos": this.authorized((request) => this.listVideos(request)),
      "POST /videos": this.authorized((request) => this.createVideo(request)),
      "GET /videos/:videoId": this.authorized((request) =>
        this.withVideo(request, (video) => this.render(video, request)),
      ),
      "GET /videos/:videoId/status": this.authorized((request) =>
        this.withVideo(request, (video) => ({ status: 200, body: this.statusOf(video) })),
      ),
      "POST /videos/:videoId/source": this.authorized((request) =>
        this.withVideo(request, (video) => this.upload(video, request)),
      ),
      "POST /webhooks": this.authorized((request) => this.createWebhook(request)),
      "GET /webhooks": this.authorized((request) => this.listWebhooks(request)),
      // Public playback URLs, so the assets handed out are reachable.
      "GET /vod/:videoId": (request) => this.player(request),
      "GET /vod/:videoId/hls/manifest.m3u8": (request) => this.manifest(request),
    };
  }

  // ---- Authentication -----------------------------------------------------------------------------

  private authenticate(request: SimulatorRequest): SimulatorResponse {
    const body = authenticateRequestSchema.safeParse(request.json);
    if (!body.success)
      return problem(400, "invalid-attribute", "This attribute is required.", undefined, "apiKey");
    if (body.data.apiKey !== this.apiKey) {
      return problem(401, "authentication-failed", "Authentication failed.", "The API key is not valid.");
    }
    return { status: 200, body: this.issueToken() };
  }

  private refresh(request: SimulatorRequest): SimulatorResponse {
    const body = refreshRequestSchema.safeParse(request.json);
    if (!body.success) {
      return problem(400, "invalid-attribute", "This attribute is required.", undefined, "refreshToken");
    }
    if (!this.refreshTokens.delete(body.data.refreshToken)) {
      return problem(
        401,
        "authentication-failed",
        "Authentication failed.",
        "The refresh token is not valid.",
      );
    }
    // Rotation, as api.video documents it: the refresh token just used is spent.
    return { status: 200, body: this.issueToken() };
  }

  private issueToken() {
    const accessToken = randomToken(32);
    const refreshToken = randomToken(32);
    this.accessTokens.set(accessToken, this.now() + this.tokenTtlSeconds * 1000);
    this.refreshTokens.add(refreshToken);
    return {
      token_type: "Bearer",
      expires_in: this.tokenTtlSeconds,
      access_token: accessToken,
      refresh_token: refreshToken,
    };
  }

  private readonly authorized = guard(
    (request) => this.authenticated(request.headers.authorization ?? ""),
    () => problem(401, "authentication-failed", "Unauthorized request.", "A valid access token is required."),
  );

  private authenticated(header: string): boolean {
    const [scheme, credential = ""] = header.split(" ", 2);
    if (scheme?.toLowerCase() === "bearer") {
      const expiresAt = this.accessTokens.get(credential);
      return expiresAt !== undefined && this.now() < expiresAt;
    }
    // api.video also takes the key as the Basic user name, with an empty password.
    return (
      scheme?.toLowerCase() === "basic" &&
      Buffer.from(credential, "base64").toString("utf8") === `${this.apiKey}:`
    );
  }

  // ---- Videos -------------------------------------------------------------------------------------

  private createVideo(request: SimulatorRequest): SimulatorResponse {
    if (!isJsonObject(request.json)) {
      return problem(400, "invalid-body", "The request body must be a JSON object.");
    }
    const parsed = createVideoRequestSchema.safeParse(request.json);
    if (!parsed.success) return attributeProblem(parsed.error);
    const input = parsed.data;
    const now = atomDate(this.now());
    const video: VideoState = {
      videoId: `vi${randomId(22)}`,
      title: input.title,
      description: input.description ?? "",
      public: input.public ?? true,
      mp4Support: input.mp4Support ?? true,
      tags: input.tags ?? [],
      metadata: input.metadata ?? [],
      createdAt: now,
      updatedAt: now,
      sourceUrl: input.source,
      upload: undefined,
      processingStartedAt: undefined,
      failEncoding: false,
    };
    this.videos.set(video.videoId, video);
    // The simulator fetches nothing: a URL source counts as fully uploaded at once.
    if (video.sourceUrl !== undefined) this.startProcessing(video);
    return this.render(video, request, 201);
  }

  private listVideos(request: SimulatorRequest): SimulatorResponse {
    const page = readPaging(request.query);
    if ("error" in page) return page.error;
    const filters: MetadataEntry[] = [];
    for (const [key, value] of request.query) {
      const match = /^metadata\[(.+)\]$/.exec(key);
      if (match?.[1] !== undefined) filters.push({ key: match[1], value });
    }
    const title = request.query.get("title");
    const matching = [...this.videos.values()].filter(
      (video) =>
        (title === null || video.title.includes(title)) &&
        filters.every((filter) =>
          video.metadata.some((entry) => entry.key === filter.key && entry.value === filter.value),
        ),
    );
    return {
      status: 200,
      body: paginate(matching, page, request, "/videos", (video) => this.videoBody(video, request.baseUrl)),
    };
  }

  private withVideo(
    request: SimulatorRequest,
    handle: (video: VideoState) => SimulatorResponse,
  ): SimulatorResponse {
    const video = this.videos.get(request.params.videoId ?? "");
    if (!video) {
      return problem(
        404,
        "resource-not-found",
        "The requested resource was not found.",
        `No video ${request.params.videoId}.`,
        "videoId",
      );
    }
    return handle(video);
  }

  private render(video: VideoState, request: SimulatorRequest, status = 200): SimulatorResponse {
    return { status, body: this.videoBody(video, request.baseUrl) };
  }

  private videoBody(video: VideoState, baseUrl: string): ApiVideoVideo {
    const player = `${baseUrl}/vod/${video.videoId}`;
    return {
      videoId: video.videoId,
      title: video.title,
      description: video.description,
      public: video.public,
      panoramic: false,
      mp4Support: video.mp4Support,
      publishedAt: video.createdAt,
      createdAt: video.createdAt,
      updatedAt: video.updatedAt,
      tags: [...video.tags],
      metadata: video.metadata.map((entry) => ({ ...entry })),
      source: { type: "upload", uri: `/videos/${video.videoId}/source` },
      assets: {
        iframe: `<iframe src="${player}" width="100%" height="100%" frameborder="0" scrolling="no" allowfullscreen="true"></iframe>`,
        player,
        hls: `${player}/hls/manifest.m3u8`,
        thumbnail: `${player}/thumbnail.jpg`,
        ...(video.mp4Support ? { mp4: `${player}/mp4/source.mp4` } : {}),
      },
    };
  }

  // ---- Upload -------------------------------------------------------------------------------------

  private upload(video: VideoState, request: SimulatorRequest): SimulatorResponse {
    if (video.sourceUrl !== undefined) {
      return problem(
        400,
        "invalid-attribute",
        "This video was created from a source URL and takes no upload.",
        undefined,
        "file",
      );
    }
    const step = receiveUpload(video.upload, request);
    if ("problem" in step) return step.problem;
    video.upload = step.upload;
    // A whole-file upload leaves updatedAt at creation time, as the simulator always has; chunks move it.
    if (step.added && step.upload.mode !== "plain") video.updatedAt = atomDate(this.now());
    if (step.finished) this.startProcessing(video);
    return this.render(video, request, 201);
  }

  // ---- Processing ---------------------------------------------------------------------------------

  private startProcessing(video: VideoState): void {
    video.processingStartedAt = this.clock.stamp();
    if (this.failNext > 0) {
      video.failEncoding = true;
      this.failNext -= 1;
    }
    for (const rendition of renditionsOf(video.mp4Support)) {
      this.server.work.after(rendition.doneAt * this.clock.processingMs, () => {
        if (!video.failEncoding) this.announce(video, rendition);
      });
    }
  }

  private statusOf(video: VideoState): ApiVideoStatus {
    const startedAt = video.processingStartedAt;
    return videoStatus(video, startedAt === undefined ? undefined : this.clock.progress(startedAt));
  }

  private announce(video: VideoState, rendition: Rendition): void {
    const event: QualityCompletedEvent = {
      type: QUALITY_COMPLETED_EVENT,
      emittedAt: atomDate(this.now()),
      videoId: video.videoId,
      encoding: rendition.type,
      quality: rendition.quality,
    };
    const body = JSON.stringify(event);
    for (const webhook of this.webhooks) {
      if (!webhook.events.includes(QUALITY_COMPLETED_EVENT)) continue;
      const signature = signBody(body, webhook.signatureSecret);
      this.server.work.track(
        deliverWebhook(webhook.url, body, { "x-api-video-signature": signature }).then((result) => {
          this.deliveries.push({ url: webhook.url, body, signature, result });
        }),
      );
    }
  }

  // ---- Webhooks -----------------------------------------------------------------------------------

  private createWebhook(request: SimulatorRequest): SimulatorResponse {
    const parsed = createWebhookRequestSchema.safeParse(request.json);
    if (!parsed.success) return attributeProblem(parsed.error);
    const webhook: ApiVideoWebhook = {
      webhookId: `webhook_${randomId(20)}`,
      createdAt: atomDate(this.now()),
      events: parsed.data.events,
      url: parsed.data.url,
      signatureSecret: this.webhookSecret ?? `sig_sec_${randomId(24)}`,
    };
    this.webhooks.push(webhook);
    return { status: 201, body: webhook };
  }

  private listWebhooks(request: SimulatorRequest): SimulatorResponse {
    const page = readPaging(request.query);
    if ("error" in page) return page.error;
    return {
      status: 200,
      body: paginate(this.webhooks, page, request, "/webhooks", (webhook) => ({ ...webhook })),
    };
  }

  // ---- Playback -----------------------------------------------------------------------------------

  private player(request: SimulatorRequest): SimulatorResponse {
    const video = this.videos.get(request.params.videoId ?? "");
    if (!video) return apiVideoDialect.notFound(request.path);
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      raw: `<!doctype html><title>${escapeHtml(video.title)}</title><video src="manifest.m3u8" controls></video>`,
    };
  }

  private manifest(request: SimulatorRequest): SimulatorResponse {
    const video = this.videos.get(request.params.videoId ?? "");
    if (!video || !this.statusOf(video).encoding.playable) return apiVideoDialect.notFound(request.path);
    return {
      status: 200,
      headers: { "content-type": "application/vnd.apple.mpegurl" },
      raw: "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=1280x720\n720p/manifest.m3u8\n",
    };
  }
}

/** ATOM dates, as api.video writes them (`2021-02-04T01:50:23+00:00`). */
function atomDate(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
