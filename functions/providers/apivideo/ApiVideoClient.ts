import { createHmac, timingSafeEqual } from "node:crypto";
import type { ByteSource } from "../core/ByteSource";
import { ProviderAuthError, ProviderRejectedError } from "../core/errors";
import {
  type Authorizer,
  type DescribedError,
  type Fetch,
  ProviderHttpClient,
} from "../core/ProviderHttpClient";
import { apiVideoProvider } from "./provider";
import {
  type AccessToken,
  type ApiVideoStatus,
  type ApiVideoVideo,
  accessTokenSchema,
  type CreateVideoRequest,
  type CreateWebhookRequest,
  JOB_ID_METADATA_KEY,
  MAX_CHUNK_BYTES,
  MIB,
  MIN_CHUNK_BYTES,
  problemSchema,
  videoListSchema,
  videoSchema,
  videoStatusSchema,
  webhookSchema,
} from "./schemas";

export type { ApiVideoAssets, ApiVideoQuality, ApiVideoStatus, ApiVideoVideo } from "./schemas";

/** The name every error of this client carries in `provider`: the job spec's provider id. */
export const API_VIDEO_PROVIDER = "apivideo";
/** Default size of one upload chunk: large enough to keep requests few, small enough for a Lambda's memory. */
export const DEFAULT_CHUNK_BYTES = 50 * MIB;
/** A chunk of up to 128 MiB must fit in this; a tight general timeout would cut uploads short. */
const DEFAULT_UPLOAD_TIMEOUT_MS = 5 * 60_000;
/** Refresh this long before expiry, so a token cannot lapse between our check and api.video's. */
const REFRESH_MARGIN_MS = 60_000;
/** Old tokens kept for redaction: enough to cover the ones still in flight, bounded for long-lived processes. */
const REMEMBERED_TOKENS = 6;

/** Where the real service lives. */
export const APIVIDEO_BASE_URL = apiVideoProvider.baseUrl;
/** api.video's sandbox environment: what local runs and the CLI talk to when given a real key. */
export const APIVIDEO_SANDBOX_BASE_URL = apiVideoProvider.localBaseUrl;

export interface ApiVideoClientOptions {
  /** `APIVIDEO_BASE_URL`, `APIVIDEO_SANDBOX_BASE_URL`, or a simulator. */
  baseUrl: string;
  apiKey: string;
  fetch?: Fetch;
  timeoutMs?: number;
  /** Timeout of one upload chunk request; defaults to 5 minutes. */
  uploadTimeoutMs?: number;
  /** The clock that decides when the access token is due for refresh. */
  now?: () => number;
}

/** Input of `createVideo`; `jobId` is stored as metadata so a retried step can find the video again. */
export interface CreateVideoInput {
  jobId: string;
  title: string;
  source?: string;
  description?: string;
  tags?: string[];
  public?: boolean;
  mp4Support?: boolean;
}

/** Options of `uploadSource`. */
export interface UploadOptions {
  /** Bytes per request, 5–128 MiB; default 50 MiB. */
  chunkSizeBytes?: number;
  /** Where to resume: the `nextOffset` of an earlier, interrupted upload. */
  fromOffset?: number;
  /** Asked between chunks; `false` ends the call early so a Lambda can hand over before its timeout. */
  shouldContinue?: () => boolean;
}

/** How far an upload got; `video` is api.video's answer to the final chunk. */
export interface UploadResult {
  nextOffset: number;
  done: boolean;
  video?: ApiVideoVideo;
}

/** The api.video REST API: bearer-token auth, videos, chunked source upload, status and webhooks. */
export class ApiVideoClient {
  private readonly http: ProviderHttpClient;
  private readonly tokens: TokenAuthorizer;
  private readonly uploadTimeoutMs: number;

  constructor(options: ApiVideoClientOptions) {
    const common = {
      provider: API_VIDEO_PROVIDER,
      baseUrl: options.baseUrl,
      describeError: describeApiVideoError,
      retryAfterHeader: "x-ratelimit-retry-after",
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      // Every credential this client has held, so none can leak through an error even after rotation.
      secrets: () => this.tokens.held(),
    };
    // The token endpoints go through a client without an authorizer: they carry their own credential.
    this.tokens = new TokenAuthorizer(
      new ProviderHttpClient(common),
      options.apiKey,
      options.now ?? Date.now,
    );
    this.http = new ProviderHttpClient({ ...common, authorizer: this.tokens });
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  }

  /** Finds the video this job created earlier (metadata vidstepJobId), so a retried step does not create a second one. */
  async findVideoByJobId(jobId: string): Promise<ApiVideoVideo | undefined> {
    const page = await this.http.request({
      operation: "findVideoByJobId",
      method: "GET",
      path: "/videos",
      query: { [`metadata[${JOB_ID_METADATA_KEY}]`]: jobId, currentPage: 1, pageSize: 25 },
      schema: videoListSchema,
    });
    // Checked again here: a provider that ignored the filter would otherwise hand us someone else's video.
    return page.data.find((video) =>
      video.metadata.some((entry) => entry.key === JOB_ID_METADATA_KEY && entry.value === jobId),
    );
  }

  /** Creates a video; with `source` api.video pulls the file itself, without it call `uploadSource`. */
  async createVideo(input: CreateVideoInput): Promise<ApiVideoVideo> {
    const body: CreateVideoRequest = {
      title: input.title,
      ...(input.source === undefined ? {} : { source: input.source }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.tags === undefined ? {} : { tags: input.tags }),
      ...(input.public === undefined ? {} : { public: input.public }),
      ...(input.mp4Support === undefined ? {} : { mp4Support: input.mp4Support }),
      metadata: [{ key: JOB_ID_METADATA_KEY, value: input.jobId }],
    };
    return this.http.request({
      operation: "createVideo",
      method: "POST",
      path: "/videos",
      json: body,
      schema: videoSchema,
    });
  }

  /**
   * Uploads the source file in chunks (`Content-Range: bytes a-b/total`), reading one chunk at a time so
   * memory stays bounded by the chunk size. Resumable from `fromOffset`; stops early between chunks when
   * `shouldContinue` says so.
   */
  async uploadSource(
    videoId: string,
    source: ByteSource,
    options: UploadOptions = {},
  ): Promise<UploadResult> {
    const chunkSize = options.chunkSizeBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_BYTES || chunkSize > MAX_CHUNK_BYTES) {
      throw new RangeError(
        `chunkSizeBytes must be a whole number of bytes from ${MIN_CHUNK_BYTES} (5 MiB) to ${MAX_CHUNK_BYTES} (128 MiB); got ${chunkSize}`,
      );
    }
    const total = source.size;
    if (!Number.isInteger(total) || total <= 0) {
      throw new RangeError(`source.size must be a positive number of bytes; got ${total} for ${source.name}`);
    }
    const fromOffset = options.fromOffset ?? 0;
    if (!Number.isInteger(fromOffset) || fromOffset < 0 || fromOffset > total) {
      throw new RangeError(
        `fromOffset must be a whole number from 0 to ${total} (the source size); got ${fromOffset}`,
      );
    }
    if (fromOffset === total) {
      // Every byte went out before an interruption: the video is all that is left to report.
      return { nextOffset: total, done: true, video: await this.getVideo(videoId) };
    }

    let offset = fromOffset;
    let video: ApiVideoVideo | undefined;
    while (offset < total) {
      if (offset !== fromOffset && options.shouldContinue && !options.shouldContinue()) {
        return { nextOffset: offset, done: false };
      }
      const end = Math.min(offset + chunkSize, total) - 1;
      const bytes = await source.read(offset, end);
      if (bytes.byteLength !== end - offset + 1) {
        throw new RangeError(
          `${source.name}: read of bytes ${offset}-${end} returned ${bytes.byteLength} bytes instead of ${end - offset + 1}`,
        );
      }
      const form = new FormData();
      // Copied into a fresh ArrayBuffer-backed view: Blob does not accept views over shared memory.
      form.append("file", new Blob([new Uint8Array(bytes)]), source.name);
      video = await this.http.request({
        operation: "uploadSource",
        method: "POST",
        path: `/videos/${encodeURIComponent(videoId)}/source`,
        headers: { "content-range": `bytes ${offset}-${end}/${total}` },
        body: form,
        schema: videoSchema,
        timeoutMs: this.uploadTimeoutMs,
        // api.video accepts a range again: a lost answer to a chunk is retried by re-sending it.
        idempotent: true,
      });
      offset = end + 1;
    }
    return { nextOffset: total, done: true, ...(video === undefined ? {} : { video }) };
  }

  /** Reads ingest and encoding progress: poll until `encoding.playable`, or wait for the webhook. */
  async getStatus(videoId: string): Promise<ApiVideoStatus> {
    return this.http.request({
      operation: "getStatus",
      method: "GET",
      path: `/videos/${encodeURIComponent(videoId)}/status`,
      schema: videoStatusSchema,
    });
  }

  /** Reads a video, with its assets (hls, player, iframe, thumbnail, mp4). */
  async getVideo(videoId: string): Promise<ApiVideoVideo> {
    return this.http.request({
      operation: "getVideo",
      method: "GET",
      path: `/videos/${encodeURIComponent(videoId)}`,
      schema: videoSchema,
    });
  }

  /** Subscribes a URL to events; keep `signatureSecret` to verify deliveries. */
  async createWebhook(input: {
    url: string;
    events: string[];
  }): Promise<{ webhookId: string; signatureSecret: string }> {
    const body: CreateWebhookRequest = { url: input.url, events: input.events };
    const webhook = await this.http.request({
      operation: "createWebhook",
      method: "POST",
      path: "/webhooks",
      json: body,
      schema: webhookSchema,
    });
    return { webhookId: webhook.webhookId, signatureSecret: webhook.signatureSecret };
  }
}

/** Reads api.video's problem JSON `{type, title, status, detail, name}`; `name` is the attribute at fault. */
export function describeApiVideoError(_status: number, body: unknown): DescribedError | undefined {
  const parsed = problemSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { title, detail, name } = parsed.data;
  const message = [title, detail].filter((part) => part !== undefined && part !== "").join(" ");
  if (message === "" && name === undefined) return undefined;
  return { message: message || "no detail given", ...(name === undefined ? {} : { field: name }) };
}

/** Checks `X-Api-Video-Signature`: hex HMAC-SHA256 of the raw body with the webhook's signatureSecret. */
export function verifyApiVideoSignature(
  rawBody: string | Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (signature === undefined) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(signature.trim(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface HeldToken {
  accessToken: string;
  refreshToken: string;
  refreshAt: number;
}

/** Keeps one access token, refreshes it shortly before expiry, and starts over from the key on demand. */
class TokenAuthorizer implements Authorizer {
  private token: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;
  /** The key and the tokens held lately, bounded for long-lived processes. */
  private readonly secrets = new Set<string>();

  constructor(
    private readonly http: ProviderHttpClient,
    private readonly apiKey: string,
    private readonly now: () => number,
  ) {
    this.secrets.add(apiKey);
  }

  async headers(): Promise<Record<string, string>> {
    const token = await this.current();
    return { authorization: `Bearer ${token.accessToken}` };
  }

  async refresh(): Promise<void> {
    // Called after a 401: the refresh token may be as dead as the access token, so start from the key.
    this.token = undefined;
    this.pending = undefined;
  }

  /** Every credential to keep out of errors: the key and the tokens still possibly in flight. */
  held(): string[] {
    return [...this.secrets];
  }

  private remember(...secrets: string[]): void {
    for (const secret of secrets) this.secrets.add(secret);
    for (const old of this.secrets) {
      if (this.secrets.size <= REMEMBERED_TOKENS + 1) break;
      if (old !== this.apiKey) this.secrets.delete(old);
    }
  }

  private current(): Promise<HeldToken> {
    const token = this.token;
    if (token && this.now() < token.refreshAt) return Promise.resolve(token);
    // Concurrent requests share one exchange instead of each spending a token.
    if (!this.pending) {
      const pending: Promise<HeldToken> = this.obtain(token).finally(() => {
        if (this.pending === pending) this.pending = undefined;
      });
      this.pending = pending;
    }
    return this.pending;
  }

  private async obtain(stale: HeldToken | undefined): Promise<HeldToken> {
    let answer: AccessToken | undefined;
    if (stale) {
      try {
        answer = await this.http.request({
          operation: "refreshToken",
          method: "POST",
          path: "/auth/refresh",
          json: { refreshToken: stale.refreshToken },
          schema: accessTokenSchema,
          anonymous: true,
          idempotent: true,
        });
      } catch (error) {
        // A refused refresh token is not a refused account: the key can still get a new one.
        if (!(error instanceof ProviderAuthError || error instanceof ProviderRejectedError)) throw error;
      }
    }
    answer ??= await this.http.request({
      operation: "authenticate",
      method: "POST",
      path: "/auth/api-key",
      json: { apiKey: this.apiKey },
      schema: accessTokenSchema,
      anonymous: true,
      idempotent: true,
    });
    this.remember(answer.access_token, answer.refresh_token);
    const lifetimeMs = answer.expires_in * 1000;
    const held: HeldToken = {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      refreshAt: this.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
    };
    this.token = held;
    return held;
  }
}
