/**
 * A local api.video: token auth, videos, chunked source upload, simulated ingest and encoding, webhooks.
 * It follows the contract written down in README.md (seed document plus listed assumptions), so the
 * client and the pipeline can be tested over real HTTP without an account.
 */
import { createHash, type Hash, randomBytes } from "node:crypto";
import { ProcessingClock } from "../core/simulator/ProcessingClock";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type {
  ProviderDialect,
  RouteTable,
  SimulatorRequest,
  SimulatorResponse,
} from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import { deliverWebhook, signBody } from "../core/simulator/webhooks";
import {
  type ApiVideoStatus,
  type ApiVideoVideo,
  type ApiVideoWebhook,
  authenticateRequestSchema,
  createVideoRequestSchema,
  createWebhookRequestSchema,
  type IngestStatus,
  MAX_CHUNK_BYTES,
  MAX_PLAIN_UPLOAD_BYTES,
  type MetadataEntry,
  MIN_CHUNK_BYTES,
  type Problem,
  QUALITY_COMPLETED_EVENT,
  type QualityCompletedEvent,
  type QualityStatus,
  refreshRequestSchema,
} from "./schemas";

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

/** One byte range received by a chunked upload, as `ingest.receivedBytes` lists it. */
export interface ReceivedRange {
  from: number;
  to: number;
  total: number;
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

type UploadMode = "bytes" | "part" | "plain";

interface UploadState {
  mode: UploadMode;
  total: number | undefined;
  nextOffset: number;
  lastPart: number;
  hash: Hash;
  chunks: ReceivedRange[];
  complete: boolean;
  sha256: string | undefined;
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

interface Rendition {
  type: "hls" | "mp4";
  quality: string;
  /** Fraction of processing at which this rendition is encoded. */
  doneAt: number;
}

const DEFAULT_API_KEY = "sim-apivideo-key";
const RATE_LIMIT_PER_MINUTE = 60;
const HLS_QUALITIES = ["240p", "360p", "480p", "720p"];
/** Ingest takes the first part of processing; encoding the rest, the first rendition at half-way. */
const INGEST_UPLOADED_UNTIL = 0.15;
const INGEST_INGESTING_UNTIL = 0.3;
const FIRST_RENDITION_AT = 0.5;
const ENCODING_LEAD = 0.25;
const PROBLEM_BASE = "https://docs.api.video/reference";

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
    if (!isPlainObject(request.json)) {
      return problem(400, "invalid-body", "The request body must be a JSON object.");
    }
    const parsed = createVideoRequestSchema.safeParse(request.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = issue?.path.map(String).join(".") || undefined;
      return problem(400, "invalid-attribute", issue?.message ?? "An attribute is invalid.", undefined, name);
    }
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
    const file = readSingleFile(request);
    if (typeof file === "string") return problem(400, "invalid-attribute", file, undefined, "file");
    const range = request.headers["content-range"];
    if (range === undefined) return this.plainUpload(video, file, request);
    const bytes = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range.trim());
    if (bytes)
      return this.bytesChunk(video, file, Number(bytes[1]), Number(bytes[2]), Number(bytes[3]), request);
    const part = /^part (\d+)\/(\d+|\*)$/.exec(range.trim());
    if (part) {
      const of = part[2] === "*" ? undefined : Number(part[2]);
      return this.partChunk(video, file, Number(part[1]), of, request);
    }
    return rangeProblem(`Content-Range must read "bytes first-last/total" or "part n/N"; got "${range}".`);
  }

  private plainUpload(video: VideoState, file: Buffer, request: SimulatorRequest): SimulatorResponse {
    if (video.upload) return rangeProblem("A chunked upload of this video is under way or finished.");
    if (file.length === 0) return problem(400, "invalid-attribute", "The file is empty.", undefined, "file");
    if (file.length > MAX_PLAIN_UPLOAD_BYTES) {
      return problem(
        400,
        "file-too-large",
        `A single upload is limited to 200 MiB; use chunks with Content-Range.`,
        undefined,
        "file",
      );
    }
    const upload = newUpload("plain", file.length);
    upload.hash.update(file);
    upload.chunks.push({ from: 0, to: file.length - 1, total: file.length });
    upload.nextOffset = file.length;
    video.upload = upload;
    this.finishUpload(video, upload);
    return this.render(video, request, 201);
  }

  private bytesChunk(
    video: VideoState,
    file: Buffer,
    first: number,
    last: number,
    total: number,
    request: SimulatorRequest,
  ): SimulatorResponse {
    if (video.upload && video.upload.mode !== "bytes") {
      return rangeProblem(`This upload uses ${video.upload.mode} ranges; the two forms cannot be mixed.`);
    }
    if (total <= 0 || first > last || last >= total) {
      return rangeProblem(`Content-Range bytes ${first}-${last}/${total} is not a valid range.`);
    }
    if (file.length !== last - first + 1) {
      return rangeProblem(
        `Content-Range announces ${last - first + 1} bytes but the file part holds ${file.length}.`,
      );
    }
    if (video.upload && video.upload.total !== total) {
      return rangeProblem(`The total size changed from ${video.upload.total} to ${total} during the upload.`);
    }
    const sizeProblem = chunkSizeProblem(file.length, last === total - 1);
    if (sizeProblem) return sizeProblem;
    const upload = video.upload ?? newUpload("bytes", total);
    if (first > upload.nextOffset) {
      return rangeProblem(
        `Bytes ${upload.nextOffset}-${first - 1} have not been received; chunks must be contiguous.`,
      );
    }
    video.upload = upload;
    // A re-sent range is accepted as is: a client that lost our answer cannot know the chunk arrived.
    if (last >= upload.nextOffset) {
      upload.hash.update(file.subarray(upload.nextOffset - first));
      upload.chunks.push({ from: upload.nextOffset, to: last, total });
      upload.nextOffset = last + 1;
      video.updatedAt = atomDate(this.now());
      if (upload.nextOffset === total) this.finishUpload(video, upload);
    }
    return this.render(video, request, 201);
  }

  private partChunk(
    video: VideoState,
    file: Buffer,
    part: number,
    of: number | undefined,
    request: SimulatorRequest,
  ): SimulatorResponse {
    if (video.upload && video.upload.mode !== "part") {
      return rangeProblem(`This upload uses ${video.upload.mode} ranges; the two forms cannot be mixed.`);
    }
    if (part < 1 || (of !== undefined && part > of))
      return rangeProblem(`Content-Range part ${part}/${of ?? "*"} is not valid.`);
    const isLast = of !== undefined && part === of;
    const sizeProblem = chunkSizeProblem(file.length, isLast);
    if (sizeProblem) return sizeProblem;
    const upload = video.upload ?? newUpload("part", undefined);
    if (upload.complete || part <= upload.lastPart) return this.render(video, request, 201);
    if (part !== upload.lastPart + 1) {
      return rangeProblem(`Part ${upload.lastPart + 1} is expected next; got part ${part}.`);
    }
    video.upload = upload;
    upload.hash.update(file);
    const from = upload.nextOffset;
    upload.nextOffset += file.length;
    upload.lastPart = part;
    // While the total is unknown a range can only report what has arrived so far.
    upload.chunks.push({ from, to: upload.nextOffset - 1, total: upload.nextOffset });
    video.updatedAt = atomDate(this.now());
    if (isLast) {
      upload.total = upload.nextOffset;
      for (const chunk of upload.chunks) chunk.total = upload.nextOffset;
      this.finishUpload(video, upload);
    }
    return this.render(video, request, 201);
  }

  private finishUpload(video: VideoState, upload: UploadState): void {
    upload.complete = true;
    upload.sha256 = upload.hash.copy().digest("hex");
    this.startProcessing(video);
  }

  // ---- Processing ---------------------------------------------------------------------------------

  private startProcessing(video: VideoState): void {
    video.processingStartedAt = this.clock.stamp();
    if (this.failNext > 0) {
      video.failEncoding = true;
      this.failNext -= 1;
    }
    for (const rendition of renditionsOf(video)) {
      this.server.work.after(rendition.doneAt * this.clock.processingMs, () => {
        if (!video.failEncoding) this.announce(video, rendition);
      });
    }
  }

  private statusOf(video: VideoState): ApiVideoStatus {
    const upload = video.upload;
    const startedAt = video.processingStartedAt;
    const receivedBytes = upload?.chunks.map((chunk) => ({ ...chunk }));
    const filesize = upload?.total ?? null;
    if (startedAt === undefined) {
      return {
        ingest: {
          status: upload ? "uploading" : "missing",
          filesize,
          ...(receivedBytes ? { receivedBytes } : {}),
        },
        encoding: { playable: false, qualities: [], metadata: emptyMetadata() },
      };
    }
    const progress = this.clock.progress(startedAt);
    const ingest: IngestStatus =
      progress < INGEST_UPLOADED_UNTIL
        ? "uploaded"
        : progress < INGEST_INGESTING_UNTIL
          ? "ingesting"
          : "ingested";
    const qualities = renditionsOf(video).map((rendition) => ({
      type: rendition.type,
      quality: rendition.quality,
      status: qualityStatus(rendition, progress, video.failEncoding),
    }));
    const playable = qualities.some((quality) => quality.type === "hls" && quality.status === "encoded");
    return {
      ingest: { status: ingest, filesize, ...(receivedBytes ? { receivedBytes } : {}) },
      encoding: {
        playable,
        qualities,
        metadata: ingest === "ingested" ? sampleMetadata() : emptyMetadata(),
      },
    };
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
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = issue?.path.map(String).join(".") || undefined;
      return problem(400, "invalid-attribute", issue?.message ?? "An attribute is invalid.", undefined, name);
    }
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

/** api.video's way of saying "slow down", "broken" and "not found": problem JSON, rate-limit headers. */
const apiVideoDialect: ProviderDialect = {
  rateLimited(retryAfterSeconds) {
    const response = problem(429, "too-many-requests", "Too many requests.", "The rate limit was exceeded.");
    response.headers = {
      ...response.headers,
      "x-ratelimit-limit": String(RATE_LIMIT_PER_MINUTE),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-retry-after": String(retryAfterSeconds),
    };
    return response;
  },
  unavailable(status) {
    return problem(status, "service-unavailable", "The service is temporarily unavailable.");
  },
  notFound(path) {
    return problem(404, "resource-not-found", "The requested resource was not found.", `Nothing at ${path}.`);
  },
};

function problem(
  status: number,
  type: string,
  title: string,
  detail?: string,
  name?: string,
): SimulatorResponse {
  const body: Problem = {
    type: `${PROBLEM_BASE}/${type}`,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(name === undefined ? {} : { name }),
  };
  return { status, body, headers: { "content-type": "application/problem+json" } };
}

function rangeProblem(detail: string): SimulatorResponse {
  return problem(
    400,
    "invalid-content-range",
    "The Content-Range header is invalid.",
    detail,
    "Content-Range",
  );
}

function chunkSizeProblem(length: number, isLast: boolean): SimulatorResponse | undefined {
  if (length > MAX_CHUNK_BYTES)
    return rangeProblem(`A chunk may hold at most 128 MiB; this one holds ${length} bytes.`);
  if (!isLast && length < MIN_CHUNK_BYTES) {
    return rangeProblem(`Every chunk but the last must hold at least 5 MiB; this one holds ${length} bytes.`);
  }
  if (length === 0) return rangeProblem("A chunk may not be empty.");
  return undefined;
}

function newUpload(mode: UploadMode, total: number | undefined): UploadState {
  return {
    mode,
    total,
    nextOffset: 0,
    lastPart: 0,
    hash: createHash("sha256"),
    chunks: [],
    complete: false,
    sha256: undefined,
  };
}

function renditionsOf(video: VideoState): Rendition[] {
  const names: Pick<Rendition, "type" | "quality">[] = HLS_QUALITIES.map((quality) => ({
    type: "hls",
    quality,
  }));
  if (video.mp4Support) names.push({ type: "mp4", quality: HLS_QUALITIES.at(-1) ?? "720p" });
  const steps = Math.max(1, names.length - 1);
  return names.map((name, index) => ({
    ...name,
    doneAt: FIRST_RENDITION_AT + ((1 - FIRST_RENDITION_AT) * index) / steps,
  }));
}

function qualityStatus(rendition: Rendition, progress: number, failing: boolean): QualityStatus {
  if (progress >= rendition.doneAt) return failing ? "failed" : "encoded";
  if (progress >= Math.max(INGEST_INGESTING_UNTIL, rendition.doneAt - ENCODING_LEAD)) return "encoding";
  return "waiting";
}

function emptyMetadata(): NonNullable<ApiVideoStatus["encoding"]["metadata"]> {
  return {
    width: null,
    height: null,
    bitrate: null,
    duration: null,
    framerate: null,
    samplerate: null,
    videoCodec: null,
    audioCodec: null,
    aspectRatio: null,
  };
}

function sampleMetadata(): NonNullable<ApiVideoStatus["encoding"]["metadata"]> {
  return {
    width: 1280,
    height: 720,
    bitrate: 2500,
    duration: 4,
    framerate: 30,
    samplerate: 48000,
    videoCodec: "h264",
    audioCodec: "aac",
    aspectRatio: "16/9",
  };
}

/** Reads the one file part of a multipart body, or says what is wrong with it. */
function readSingleFile(request: SimulatorRequest): Buffer | string {
  const contentType = request.headers["content-type"] ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) return "The upload must be multipart/form-data.";
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return "The multipart body has no boundary.";
  const parts = parseMultipart(request.rawBody, marker);
  if (parts === undefined) return "The multipart body is malformed.";
  // api.video's own clients name the part after the file, so any name is accepted; a file name is not optional.
  const files = parts.filter((part) => part.filename !== undefined);
  if (files.length !== 1) return `The upload must hold exactly one file part; it holds ${files.length}.`;
  return files[0]?.content ?? Buffer.alloc(0);
}

interface MultipartPart {
  name: string | undefined;
  filename: string | undefined;
  content: Buffer;
}

function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | undefined {
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let position = body.indexOf(opening);
  if (position < 0) return undefined;
  position += opening.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body.subarray(position, position + 2).toString("latin1") === "--") return parts;
    if (body.subarray(position, position + 2).toString("latin1") !== "\r\n") return undefined;
    position += 2;
    const next = body.indexOf(separator, position);
    if (next < 0) return undefined;
    const part = body.subarray(position, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) return undefined;
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? "";
    parts.push({
      name: /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1],
      filename: /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1],
      content: part.subarray(headerEnd + 4),
    });
    position = next + separator.length;
  }
}

interface Paging {
  currentPage: number;
  pageSize: number;
}

function readPaging(query: URLSearchParams): Paging | { error: SimulatorResponse } {
  const currentPage = Number(query.get("currentPage") ?? 1);
  const pageSize = Number(query.get("pageSize") ?? 25);
  if (!Number.isInteger(currentPage) || currentPage < 1) {
    return {
      error: problem(
        400,
        "invalid-attribute",
        "This attribute must be a positive integer.",
        undefined,
        "currentPage",
      ),
    };
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    return {
      error: problem(
        400,
        "invalid-attribute",
        "This attribute must be from 1 to 100.",
        undefined,
        "pageSize",
      ),
    };
  }
  return { currentPage, pageSize };
}

function paginate<T, U>(
  items: T[],
  page: Paging,
  request: SimulatorRequest,
  path: string,
  render: (item: T) => U,
) {
  const pagesTotal = Math.max(1, Math.ceil(items.length / page.pageSize));
  const slice = items.slice((page.currentPage - 1) * page.pageSize, page.currentPage * page.pageSize);
  const link = (rel: string, currentPage: number) => {
    const query = new URLSearchParams(request.query);
    query.set("currentPage", String(currentPage));
    query.set("pageSize", String(page.pageSize));
    return { rel, uri: `${request.baseUrl}${path}?${query.toString()}` };
  };
  const links = [link("self", page.currentPage), link("first", 1), link("last", pagesTotal)];
  if (page.currentPage > 1) links.push(link("previous", page.currentPage - 1));
  if (page.currentPage < pagesTotal) links.push(link("next", page.currentPage + 1));
  return {
    data: slice.map(render),
    pagination: {
      currentPage: page.currentPage,
      currentPageItems: slice.length,
      pageSize: page.pageSize,
      pagesTotal,
      itemsTotal: items.length,
      links,
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomId(length: number): string {
  return [...randomBytes(length)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join("");
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** ATOM dates, as api.video writes them (`2021-02-04T01:50:23+00:00`). */
function atomDate(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
