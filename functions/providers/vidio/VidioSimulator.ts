/**
 * A local VIDIO: the assumed REST routes (README.md) served on 127.0.0.1, with upload slots, highlight-reel
 * jobs and renders that finish on a clock, and switchable faults. Routes follow the same `paths` object as
 * the client, so a simulator and a client configured alike agree on every path.
 *
 * Upload slots are served by the simulator itself, under a random token and without the API key, the way a
 * pre-signed storage URL works. Only a sha256 and a byte count are kept per upload, never the bytes.
 */
import { createHash, randomUUID } from "node:crypto";
import { randomToken } from "../core/simulator/ids";
import { ProcessingClock } from "../core/simulator/ProcessingClock";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type { ProviderDialect, SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import {
  createHighlightReelRequestSchema,
  createUploadRequestSchema,
  fieldPath,
  type ReelAspectRatio,
  type VideoCategory,
  type VidioJob,
  type VidioJobStatus,
  type VidioRender,
} from "./schemas";
import { JOB_ID_PLACEHOLDER, resolveVidioPaths, type VidioPaths } from "./VidioClient";

/** The key the simulator accepts unless told otherwise. */
export const DEFAULT_SIMULATOR_API_KEY = "sim-vidio-key";

/** Where the simulator serves upload slots: its own storage, not one of VIDIO's API paths. */
export const UPLOAD_SLOT_ROUTE = "/upload-slots/:token";

/** Where the simulator serves rendered outputs, as `/outputs/{job_id}.mp4`. */
export const OUTPUT_ROUTE = "/outputs/:file";

/** How the simulator behaves. */
export interface VidioSimulatorOptions {
  /** The only `x-api-key` accepted; default `sim-vidio-key`. */
  apiKey?: string;
  /** How long a job takes from queued to completed, and a render to complete; default 300 ms. */
  processingMs?: number;
  /** The same path overrides the client is given. */
  paths?: Partial<VidioPaths>;
  /** The clock jobs and renders run on; tests pass their own to step through statuses. */
  now?: () => number;
}

/** What the simulator knows about one upload. */
export interface SimulatedUpload {
  name: string;
  /** The size announced when the slot was reserved. */
  size: number;
  contentType: string;
  /** Hex sha256 of the bytes received, once complete. */
  sha256: string | undefined;
  bytesReceived: number;
  /** Whether the announced number of bytes arrived: only then can a job use the input. */
  complete: boolean;
}

/** The fault-switch route keys (`METHOD /pattern`) of each operation, for `server.faults` and `server.count`. */
export type VidioSimulatorRoutes = Record<keyof VidioPaths | "uploadSlot" | "output", string>;

interface UploadRecord extends SimulatedUpload {
  inputKey: string;
}

interface JobRecord {
  id: string;
  inputKeys: string[];
  videoCategory: VideoCategory;
  outputLength: number;
  aspectRatio: ReelAspectRatio;
  startedAt: number;
  failure: string | undefined;
  render: RenderRecord | undefined;
  renders: number;
}

interface RenderRecord {
  startedAt: number;
  failure: string | undefined;
}

/** A job spends this share of its processing time `queued` before it turns `processing`. */
const QUEUED_SHARE = 0.25;
/** The output served for a completed render: an MP4 `ftyp` box, enough for a client to see a video. */
const OUTPUT_BYTES = Buffer.concat([
  Buffer.from([0, 0, 0, 24]),
  Buffer.from("ftypisom", "latin1"),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from("isommp42", "latin1"),
]);

/** A VIDIO simulator over real HTTP: `start()` it, point a `VidioClient` at the URL it returns. */
export class VidioSimulator extends SimulatedProvider {
  readonly server: SimulatorServer;
  readonly clock: ProcessingClock;
  /** The one key the simulator accepts: hand it to the client under test. */
  readonly apiKey: string;
  /** The paths served, defaults and overrides resolved. */
  readonly paths: VidioPaths;
  /** Route keys for fault switches and counts, e.g. `server.faults.dropConnection({times: 1, route: routes.render})`. */
  readonly routes: VidioSimulatorRoutes;
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly slots = new Map<string, string>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly jobFailures: string[] = [];
  private readonly renderFailures: string[] = [];

  constructor(options: VidioSimulatorOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? DEFAULT_SIMULATOR_API_KEY;
    this.clock = new ProcessingClock(options.processingMs ?? 300, options.now);
    this.paths = resolveVidioPaths(options.paths);
    const pattern = (path: string) => path.replace(JOB_ID_PLACEHOLDER, ":jobId");
    this.routes = {
      createUpload: `POST ${pattern(this.paths.createUpload)}`,
      createHighlightReel: `POST ${pattern(this.paths.createHighlightReel)}`,
      getJob: `GET ${pattern(this.paths.getJob)}`,
      render: `POST ${pattern(this.paths.render)}`,
      getRender: `GET ${pattern(this.paths.getRender)}`,
      uploadSlot: `PUT ${UPLOAD_SLOT_ROUTE}`,
      output: `GET ${OUTPUT_ROUTE}`,
    };
    const routes = this.routes;
    this.server = new SimulatorServer(
      "VIDIO",
      {
        // Storage and outputs first: their fixed paths must win over an overridden API path that looks alike.
        [routes.uploadSlot]: (request) => this.receiveBytes(request),
        [routes.output]: (request) => this.output(request),
        [routes.createUpload]: this.authed((request) => this.createUpload(request)),
        [routes.createHighlightReel]: this.authed((request) => this.createHighlightReel(request)),
        [routes.getJob]: this.authed((request) => this.getJob(request)),
        [routes.render]: this.authed((request) => this.render(request)),
        [routes.getRender]: this.authed((request) => this.getRender(request)),
      },
      vidioDialect,
    );
  }

  /** The next job created ends in status `failed` with this reason. */
  failNextJob(reason: string): void {
    this.jobFailures.push(reason);
  }

  /** The next render started ends in status `failed` with this reason. */
  failNextRender(reason: string): void {
    this.renderFailures.push(reason);
  }

  /** What arrived for an input key: name, announced size, sha256 and whether it is complete. */
  upload(inputKey: string): SimulatedUpload | undefined {
    const record = this.uploads.get(inputKey);
    if (!record) return undefined;
    const { inputKey: _key, ...view } = record;
    return view;
  }

  /** A job as `get_job` would show it now. */
  job(jobId: string): VidioJob | undefined {
    const job = this.jobs.get(jobId);
    return job ? this.jobView(job) : undefined;
  }

  /** The id of every highlight-reel job created so far, in creation order. */
  jobIds(): string[] {
    return [...this.jobs.keys()];
  }

  /** How many renders were started for a job: a second one means a create or render was sent twice. */
  renderCount(jobId: string): number {
    return this.jobs.get(jobId)?.renders ?? 0;
  }

  // The key is compared, never echoed, not even in the 401.
  private readonly authed = guard(
    (request) => request.headers["x-api-key"] === this.apiKey,
    () => failure(401, "authentication_error", "Invalid or missing x-api-key header"),
  );

  private createUpload(request: SimulatorRequest): SimulatorResponse {
    const body = isRecord(request.json) ? request.json : undefined;
    if (!body) return failure(400, "invalid_request_error", "The request body must be a JSON object");
    const parsed = createUploadRequestSchema.safeParse(body);
    if (!parsed.success) return invalid(parsed.error.issues[0]);
    const inputKey = `in_${randomUUID()}`;
    const token = randomToken(24);
    this.uploads.set(inputKey, {
      inputKey,
      name: parsed.data.filename,
      size: parsed.data.size,
      contentType: parsed.data.content_type,
      sha256: undefined,
      bytesReceived: 0,
      complete: false,
    });
    this.slots.set(token, inputKey);
    return {
      status: 200,
      body: { input_key: inputKey, upload_url: `${request.baseUrl}/upload-slots/${token}` },
    };
  }

  private receiveBytes(request: SimulatorRequest): SimulatorResponse {
    const inputKey = this.slots.get(request.params.token ?? "");
    const record = inputKey === undefined ? undefined : this.uploads.get(inputKey);
    if (!record) return failure(404, "not_found_error", "No such upload slot");
    // The core server hands over the body whole; only its digest and length are kept.
    const received = request.rawBody.length;
    record.bytesReceived = received;
    if (received !== record.size) {
      record.sha256 = undefined;
      record.complete = false;
      return failure(
        400,
        "invalid_request_error",
        `Expected ${record.size} bytes as announced, received ${received}`,
      );
    }
    record.sha256 = createHash("sha256").update(request.rawBody).digest("hex");
    record.complete = true;
    return { status: 200, raw: "" };
  }

  private createHighlightReel(request: SimulatorRequest): SimulatorResponse {
    if (!isRecord(request.json)) {
      return failure(400, "invalid_request_error", "The request body must be a JSON object");
    }
    const parsed = createHighlightReelRequestSchema.safeParse(request.json);
    if (!parsed.success) return invalid(parsed.error.issues[0]);
    const body = parsed.data;
    for (const [index, key] of body.input_keys.entries()) {
      const upload = this.uploads.get(key);
      const param = `input_keys[${index}]`;
      if (!upload) return failure(400, "invalid_request_error", `${param}: unknown input key ${key}`, param);
      if (!upload.complete) {
        return failure(
          400,
          "invalid_request_error",
          `${param}: the upload of ${upload.name} is not complete (${upload.bytesReceived} of ${upload.size} bytes)`,
          param,
        );
      }
    }
    const job: JobRecord = {
      id: `job_${randomUUID()}`,
      inputKeys: body.input_keys,
      videoCategory: body.video_category,
      outputLength: body.output_length,
      aspectRatio: body.aspect_ratio,
      startedAt: this.clock.stamp(),
      failure: this.jobFailures.shift(),
      render: undefined,
      renders: 0,
    };
    this.jobs.set(job.id, job);
    // A fresh job is always reported queued, however fast the clock runs.
    return { status: 200, body: { ...this.jobView(job), status: "queued" } };
  }

  private getJob(request: SimulatorRequest): SimulatorResponse {
    const job = this.jobs.get(request.params.jobId ?? "");
    if (!job) return failure(404, "not_found_error", `No job ${request.params.jobId}`);
    return { status: 200, body: this.jobView(job) };
  }

  private render(request: SimulatorRequest): SimulatorResponse {
    const job = this.jobs.get(request.params.jobId ?? "");
    if (!job) return failure(404, "not_found_error", `No job ${request.params.jobId}`);
    const status = this.jobStatus(job);
    if (status !== "completed") {
      return failure(
        400,
        "invalid_request_error",
        `Job ${job.id} is ${status}: only a completed job can be rendered`,
        "job_id",
      );
    }
    // Each call starts a new render: the simulator does not forgive a render sent twice, and counts it.
    job.render = { startedAt: this.clock.stamp(), failure: this.renderFailures.shift() };
    job.renders += 1;
    return {
      status: 200,
      body: { ...this.renderView(job, job.render, request.baseUrl), status: "rendering" },
    };
  }

  private getRender(request: SimulatorRequest): SimulatorResponse {
    const job = this.jobs.get(request.params.jobId ?? "");
    if (!job) return failure(404, "not_found_error", `No job ${request.params.jobId}`);
    if (!job.render) return failure(404, "not_found_error", `Job ${job.id} has not been rendered`);
    return { status: 200, body: this.renderView(job, job.render, request.baseUrl) };
  }

  private output(request: SimulatorRequest): SimulatorResponse {
    const file = request.params.file ?? "";
    const job = file.endsWith(".mp4") ? this.jobs.get(file.slice(0, -".mp4".length)) : undefined;
    if (!job?.render || this.renderStatus(job.render) !== "completed") {
      return failure(404, "not_found_error", `No output ${file}`);
    }
    return { status: 200, raw: OUTPUT_BYTES, headers: { "content-type": "video/mp4" } };
  }

  private jobStatus(job: JobRecord): VidioJobStatus {
    const progress = this.clock.progress(job.startedAt);
    if (progress >= 1) return job.failure === undefined ? "completed" : "failed";
    return progress < QUEUED_SHARE ? "queued" : "processing";
  }

  private renderStatus(render: RenderRecord): VidioRender["status"] {
    if (!this.clock.done(render.startedAt)) return "rendering";
    return render.failure === undefined ? "completed" : "failed";
  }

  private jobView(job: JobRecord): VidioJob {
    const status = this.jobStatus(job);
    return {
      job_id: job.id,
      status,
      input_keys: [...job.inputKeys],
      video_category: job.videoCategory,
      output_length: job.outputLength,
      aspect_ratio: job.aspectRatio,
      ...(status === "failed" ? { error: job.failure } : {}),
    };
  }

  private renderView(job: JobRecord, render: RenderRecord, baseUrl: string): VidioRender {
    const status = this.renderStatus(render);
    return {
      job_id: job.id,
      status,
      ...(status === "completed"
        ? { output_url: `${baseUrl}/outputs/${encodeURIComponent(job.id)}.mp4` }
        : {}),
      ...(status === "failed" ? { error: render.failure } : {}),
    };
  }
}

/** Injected faults in VIDIO's error format; the type names beyond the two documented ones are assumed. */
const vidioDialect: ProviderDialect = {
  rateLimited: (retryAfterSeconds) => ({
    ...failure(429, "rate_limit_error", "Too many requests, slow down"),
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  unavailable: (status) => failure(status, "api_error", "Service temporarily unavailable"),
  notFound: (path) => failure(404, "not_found_error", `No route for ${path}`),
};

/** An error in VIDIO's format `{"error": {type, message}}`, with the assumed `param` naming the field. */
function failure(status: number, type: string, message: string, param?: string): SimulatorResponse {
  return { status, body: { error: { type, message, ...(param === undefined ? {} : { param }) } } };
}

function invalid(issue: { path: readonly PropertyKey[]; message: string } | undefined): SimulatorResponse {
  const param = issue ? fieldPath(issue.path) : "";
  const message = `${param || "body"}: ${issue?.message ?? "invalid"}`;
  return failure(400, "invalid_request_error", message, param || undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
