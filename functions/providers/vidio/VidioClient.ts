import { z } from "zod";
import { apiKeyHttpClient, invalidOption } from "../core/clientOptions";
import { isRecord, textOf } from "../core/errorBodies";
import { InvalidInputError, parseOrThrow } from "../core/InvalidInputError";
import type { DescribedError, Fetch, ProviderHttpClient } from "../core/ProviderHttpClient";
import { vidioProvider } from "./provider";
import {
  type CreateHighlightReelRequest,
  type CreateUploadRequest,
  errorBodySchema,
  jobSchema,
  MAX_INPUT_KEYS,
  MAX_TOTAL_INPUT_SECONDS,
  REEL_ASPECT_RATIOS,
  type ReelAspectRatio,
  renderSchema,
  uploadSlotSchema,
  VIDEO_CATEGORIES,
  type VideoCategory,
  type VidioJob,
  type VidioRender,
} from "./schemas";

export {
  REEL_ASPECT_RATIOS,
  type ReelAspectRatio,
  VIDEO_CATEGORIES,
  type VideoCategory,
  type VidioJob,
  type VidioRender,
};

/** The provider name carried by every error this client throws (and the job spec's provider id). */
export const VIDIO_PROVIDER = "vidio";

/** A guess: VIDIO publishes no REST base URL, only a Python client. Configure the real one. */
export const VIDIO_BASE_URL = vidioProvider.baseUrl;

/** Where a job id goes in a path template. */
export const JOB_ID_PLACEHOLDER = "{job_id}";

/**
 * Every REST path in one place: VIDIO's paths are not public, so they are configurable. Paths are relative
 * to the base URL; `{job_id}` marks where the (URL-encoded) job id goes.
 */
export const DEFAULT_VIDIO_PATHS: Readonly<{
  /** POST `{filename, size, content_type}` -> `{input_key, upload_url}`: reserves a slot for one input. */
  createUpload: string;
  /** POST `{input_keys, video_category, output_length, aspect_ratio}` -> job. */
  createHighlightReel: string;
  /** GET -> job. */
  getJob: string;
  /** POST -> render: starts rendering a completed job. */
  render: string;
  /** GET -> render, with `output_url` once completed. */
  getRender: string;
}> = Object.freeze({
  createUpload: "/uploads",
  createHighlightReel: "/highlight-reels",
  getJob: `/highlight-reels/${JOB_ID_PLACEHOLDER}`,
  render: `/highlight-reels/${JOB_ID_PLACEHOLDER}/render`,
  getRender: `/highlight-reels/${JOB_ID_PLACEHOLDER}/render`,
});

/** The set of REST paths a client (and the simulator) uses. */
export type VidioPaths = typeof DEFAULT_VIDIO_PATHS;

/** How to reach VIDIO. */
export interface VidioClientOptions {
  /** VIDIO's API base URL (`VIDIO_BASE_URL` is a guess), or a simulator's base URL. */
  baseUrl: string;
  /** Sent as `x-api-key` to VIDIO's API, never to the storage an upload goes to. */
  apiKey: string;
  /** Overrides of `DEFAULT_VIDIO_PATHS`, for when VIDIO's real paths turn out different. */
  paths?: Partial<VidioPaths>;
  fetch?: Fetch;
  timeoutMs?: number;
  /** Time allowed for streaming one input to its upload URL; default 10 minutes. */
  uploadTimeoutMs?: number;
}

/** One input to upload: its bytes as a stream (an S3 object body) or already in memory. */
export interface VidioUploadInput {
  /** The file name VIDIO shows. */
  name: string;
  /** Exact size in bytes: sent as Content-Length, and checked against what the stream yields. */
  size: number;
  body: ReadableStream<Uint8Array> | Uint8Array;
  /** Defaults from the name's extension (`.mp4` is `video/mp4`), else `application/octet-stream`. */
  contentType?: string;
}

/** Input of `createHighlightReel`, in the terms of VIDIO's Python reference. */
export interface CreateHighlightReelInput {
  /** Keys from `upload`; their order is the order of the media in the reel. */
  inputKeys: string[];
  videoCategory: VideoCategory;
  /** Desired length in whole seconds; no more than the inputs' total length. */
  outputLengthSeconds: number;
  aspectRatio: ReelAspectRatio;
}

/** Streaming a large input must not be cut short by the general timeout meant for small JSON calls. */
const DEFAULT_UPLOAD_TIMEOUT_MS = 10 * 60_000;
const SIZE_MISMATCH_CODE = "VIDIO_UPLOAD_SIZE_MISMATCH";
const CONTENT_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/x-m4v",
  mov: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  avi: "video/x-msvideo",
};

const nonEmpty = z
  .string({ error: "must be a string" })
  .refine((value) => value.trim() !== "", "must not be empty");

const pathTemplate = (withJobId: boolean) =>
  z
    .string({ error: "must be a string" })
    .regex(/^\/[^\s?#]*$/, "must start with / and hold no spaces, query or fragment")
    .refine(
      (path) => path.split(JOB_ID_PLACEHOLDER).length === (withJobId ? 2 : 1),
      withJobId
        ? `must contain ${JOB_ID_PLACEHOLDER} exactly once`
        : `must not contain ${JOB_ID_PLACEHOLDER}`,
    );

const pathsInput = z.strictObject({
  createUpload: pathTemplate(false).optional(),
  createHighlightReel: pathTemplate(false).optional(),
  getJob: pathTemplate(true).optional(),
  render: pathTemplate(true).optional(),
  getRender: pathTemplate(true).optional(),
});

const uploadInput = z.object({
  name: nonEmpty,
  size: z
    .number({ error: "must be a number of bytes" })
    .int("must be a whole number of bytes")
    .positive("must be at least 1 byte")
    .max(Number.MAX_SAFE_INTEGER, "is too large"),
  body: z.custom<ReadableStream<Uint8Array> | Uint8Array>(
    (body) => body instanceof ReadableStream || body instanceof Uint8Array,
    "must be a ReadableStream or a Uint8Array",
  ),
  contentType: nonEmpty.optional(),
});

const createHighlightReelInput = z.object({
  inputKeys: z
    .array(nonEmpty, { error: "must be a list of input keys" })
    .min(1, "must list at least one input key")
    .max(MAX_INPUT_KEYS, `must list at most ${MAX_INPUT_KEYS} input keys (VIDIO's limit)`),
  videoCategory: z.enum(VIDEO_CATEGORIES, { error: `must be one of ${VIDEO_CATEGORIES.join(", ")}` }),
  outputLengthSeconds: z
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .positive("must be at least 1 second")
    .max(
      MAX_TOTAL_INPUT_SECONDS - 1,
      `must be under ${MAX_TOTAL_INPUT_SECONDS} s (6 hours): VIDIO caps the total input below that`,
    ),
  aspectRatio: z.enum(REEL_ASPECT_RATIOS, { error: `must be one of ${REEL_ASPECT_RATIOS.join(", ")}` }),
});

/**
 * VIDIO's REST API as its Python client describes it: upload inputs, create a highlight reel, read the job,
 * render it, read the render. Creates and renders are never retried here: VIDIO documents no idempotency
 * key, so a retry after an ambiguous failure could start a second (billed) job; that decision belongs to the
 * caller.
 */
export class VidioClient {
  private readonly http: ProviderHttpClient;
  private readonly paths: VidioPaths;
  private readonly uploadTimeoutMs: number;

  constructor(options: VidioClientOptions) {
    this.http = apiKeyHttpClient(VIDIO_PROVIDER, options, describeVidioError);
    this.paths = resolveVidioPaths(options.paths);
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
  }

  /** Uploads one input by streaming it: memory stays bounded whatever the size. */
  async upload(input: VidioUploadInput): Promise<{ input_key: string }> {
    const valid = validate("upload", uploadInput, input);
    if (valid.body instanceof Uint8Array && valid.body.byteLength !== valid.size) {
      throw sizeError(`is ${valid.size} but the body holds ${valid.body.byteLength} bytes`);
    }
    const contentType = valid.contentType ?? contentTypeOf(valid.name);
    const request: CreateUploadRequest = {
      filename: valid.name,
      size: valid.size,
      content_type: contentType,
    };
    const slot = await this.http.request({
      operation: "createUpload",
      method: "POST",
      path: this.paths.createUpload,
      json: request,
      schema: uploadSlotSchema,
      // An upload slot nobody uses costs nothing, so a lost answer is worth asking again.
      idempotent: true,
    });

    let counter: SizeCounter | undefined;
    let body: ReadableStream<Uint8Array> | Uint8Array = valid.body;
    if (!(body instanceof Uint8Array)) {
      counter = new SizeCounter(valid.size);
      body = body.pipeThrough(counter.stream);
    }
    try {
      // The upload URL is a pre-signed storage URL: it is its own credential, and our key must not travel to
      // a third party's storage, where a leak would outlive the upload. Its answer (XML or nothing) is not read.
      await this.http.request({
        operation: "uploadBytes",
        method: "PUT",
        absoluteUrl: slot.upload_url,
        anonymous: true,
        headers: { "content-type": contentType, "content-length": String(valid.size) },
        body,
        timeoutMs: this.uploadTimeoutMs,
        describeError: describeStorageError,
        // Putting the same bytes at the same URL again overwrites them with themselves.
        idempotent: true,
      });
    } catch (error) {
      // A body shorter or longer than announced is the caller's mistake, not a network failure to retry.
      if (counter?.mismatch) throw sizeError(counter.mismatch);
      throw error;
    }
    return { input_key: slot.input_key };
  }

  /** Creates a highlight-reel job from uploaded inputs; the order of `inputKeys` is the order in the reel. */
  async createHighlightReel(input: CreateHighlightReelInput): Promise<VidioJob> {
    const valid = validate("createHighlightReel", createHighlightReelInput, input);
    const body: CreateHighlightReelRequest = {
      input_keys: valid.inputKeys,
      video_category: valid.videoCategory,
      output_length: valid.outputLengthSeconds,
      aspect_ratio: valid.aspectRatio,
    };
    return this.http.request({
      operation: "createHighlightReel",
      method: "POST",
      path: this.paths.createHighlightReel,
      json: body,
      schema: jobSchema,
    });
  }

  /** Reads a job's status: poll until `completed` or `failed` (the reason is in `error`). */
  async getJob(jobId: string): Promise<VidioJob> {
    return this.jobCall("getJob", "GET", jobSchema, jobId);
  }

  /** Starts rendering the output video of a completed job. */
  async render(jobId: string): Promise<VidioRender> {
    return this.jobCall("render", "POST", renderSchema, jobId);
  }

  /** Reads a render's status; once `completed` it carries `output_url`. */
  async getRender(jobId: string): Promise<VidioRender> {
    return this.jobCall("getRender", "GET", renderSchema, jobId);
  }

  /** One call about one job: the id is checked, then put into the operation's path template. */
  private jobCall<T>(
    operation: "getJob" | "render" | "getRender",
    method: "GET" | "POST",
    schema: z.ZodType<T>,
    jobId: string,
  ): Promise<T> {
    const path = jobPath(this.paths[operation], validate(operation, nonEmpty, jobId, "jobId"));
    return this.http.request({ operation, method, path, schema });
  }
}

/** `DEFAULT_VIDIO_PATHS` with the given overrides, each checked; a bad one throws naming `paths.<name>`. */
export function resolveVidioPaths(overrides: Partial<VidioPaths> = {}): VidioPaths {
  const valid = validate("configure", pathsInput, overrides, "paths");
  const defined = Object.fromEntries(Object.entries(valid).filter(([, path]) => path !== undefined));
  const paths: VidioPaths = { ...DEFAULT_VIDIO_PATHS, ...defined };
  // Two operations of one method on one path could not be told apart, by VIDIO or by the simulator.
  const routes = [
    ["createUpload", `POST ${paths.createUpload}`],
    ["createHighlightReel", `POST ${paths.createHighlightReel}`],
    ["render", `POST ${paths.render}`],
    ["getJob", `GET ${paths.getJob}`],
    ["getRender", `GET ${paths.getRender}`],
  ] as const;
  const seen = new Map<string, string>();
  for (const [name, route] of routes) {
    const other = seen.get(route);
    if (other !== undefined) {
      throw invalidOption(VIDIO_PROVIDER, `paths.${name}`, `is the same route as paths.${other} (${route})`);
    }
    seen.set(route, name);
  }
  return Object.freeze(paths);
}

/** Fills a path template's `{job_id}` with an encoded id. */
export function jobPath(template: string, jobId: string): string {
  return template.replace(JOB_ID_PLACEHOLDER, encodeURIComponent(jobId));
}

/**
 * Reads VIDIO's error body `{"error": {"type", "message"}}` (design brief). The field at fault is taken from
 * `param` or `field` when present, which is assumed: the brief documents neither.
 */
export function describeVidioError(_status: number, body: unknown): DescribedError | undefined {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) {
    const message = isRecord(body) ? textOf(body.message) : undefined;
    return message === undefined ? undefined : { message: message.slice(0, 300) };
  }
  const { type, message, param, field } = parsed.data.error;
  const named = param ?? field;
  const words = message?.trim() || undefined;
  if (words === undefined && type === undefined) return undefined;
  const text = words === undefined ? String(type) : type === undefined ? words : `${words} (${type})`;
  return { message: text, ...(named === undefined ? {} : { field: named }) };
}

/**
 * Reads an upload storage error in VIDIO's JSON format when it is in it, and otherwise says only the status:
 * never the raw text, because an S3 signature error quotes the canonical request, pre-signed query included.
 */
function describeStorageError(status: number, body: unknown): DescribedError {
  const described = describeVidioError(status, body);
  if (described) return described;
  return { message: `the upload storage refused the bytes (HTTP ${status})` };
}

/** Counts the bytes of a streamed body and fails it as soon as they disagree with the announced size. */
class SizeCounter {
  readonly stream: TransformStream<Uint8Array, Uint8Array>;
  mismatch: string | undefined;
  private seen = 0;

  constructor(expected: number) {
    const fail = (controller: TransformStreamDefaultController<Uint8Array>, message: string) => {
      this.mismatch = message;
      controller.error(Object.assign(new Error(this.mismatch), { code: SIZE_MISMATCH_CODE }));
    };
    this.stream = new TransformStream({
      transform: (chunk, controller) => {
        if (!(chunk instanceof Uint8Array))
          return fail(controller, "the body stream yielded a non-byte chunk");
        this.seen += chunk.byteLength;
        if (this.seen > expected) {
          return fail(controller, `the body holds more than the ${expected} bytes given as size`);
        }
        controller.enqueue(chunk);
      },
      flush: (controller) => {
        if (this.seen !== expected) {
          fail(controller, `the body ended after ${this.seen} bytes, but size is ${expected}`);
        }
      },
    });
  }
}

function contentTypeOf(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return CONTENT_TYPES[extension] ?? "application/octet-stream";
}

/** A body that does not hold the announced number of bytes. */
function sizeError(problem: string): InvalidInputError {
  return new InvalidInputError("input", [{ field: "size", problem }], {
    provider: VIDIO_PROVIDER,
    operation: "upload",
  });
}

/** Checks an operation's input before anything is sent; a failure is an InvalidInputError naming the field. */
function validate<T>(operation: string, schema: z.ZodType<T>, input: unknown, root?: string): T {
  return parseOrThrow(schema, input, "input", { provider: VIDIO_PROVIDER, operation, root });
}
