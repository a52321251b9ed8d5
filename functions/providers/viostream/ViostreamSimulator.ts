/**
 * A local Viostream: the four routes of the import guide served on 127.0.0.1 with HTTP Basic auth,
 * asynchronous ingests, the media list with paging, and the core's switchable faults. README.md lists what
 * is documented and what the simulator assumes.
 *
 * An ingest really fetches `sourceUrl`, the way Viostream does, so an expired presigned URL or a missing S3
 * object ends the ingest `Failed`, as it would in production. It reads only a few bounded byte ranges of the
 * source (`sourceDuration.ts`): enough for the MP4/MOV `moov` and its duration, never the media data.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { ProcessingClock } from "../core/simulator/ProcessingClock";
import { isJsonObject } from "../core/simulator/requestBody";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type { ProviderDialect, SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import type {
  ViostreamIngestState,
  ViostreamMedia,
  ViostreamMediaListWire,
  ViostreamMediaWire,
} from "./schemas";
import { createIngestRequestSchema, MAX_PAGE_SIZE, mediaSchema } from "./schemas";
import { type ProbeOutcome, probeSource } from "./sourceDuration";

/** The access key the simulator accepts unless told otherwise. */
export const DEFAULT_SIMULATOR_ACCESS_KEY = "VC-simulator";
/** The API key the simulator accepts unless told otherwise. */
export const DEFAULT_SIMULATOR_API_KEY = "sim-viostream-key";
/** `PageSize` of `GET media` when the request names none (assumed; not documented). */
export const DEFAULT_PAGE_SIZE = 20;

/** How the simulator behaves. */
export interface ViostreamSimulatorOptions {
  /** The only Basic-auth user accepted; default `VC-simulator`. */
  accessKey?: string;
  /** The only Basic-auth password accepted; default `sim-viostream-key`. */
  apiKey?: string;
  /** How long an ingest stays `Processing`; default 300 ms. */
  processingMs?: number;
  /** The clock processing is measured on; tests pass a fake one to step over `processingMs`. */
  now?: () => number;
}

interface IngestRecord {
  id: string;
  sourceUrl: string;
  filename: string;
  extension: string;
  referenceId: string | undefined;
  startedAt: number;
  /** Set by `failNextIngest`: the transcode fails after the media was made. */
  forcedFailure: string | undefined;
  /** What reading the source found; `undefined` while it is still being read. */
  outcome: ProbeOutcome | undefined;
  /** Made once the source has been read: Viostream cannot make a media of a file it could not fetch. */
  media: MediaRecord | undefined;
}

interface MediaRecord {
  id: string;
  key: string;
  createdDate: string;
  durationSeconds: number;
  ingest: IngestRecord;
}

/** A Viostream simulator over real HTTP: `start()` it, point a `ViostreamClient` at the URL it returns. */
export class ViostreamSimulator extends SimulatedProvider {
  readonly server: SimulatorServer;
  /** The only credentials accepted: hand them to the client under test. */
  readonly credentials: { accessKey: string; apiKey: string };
  readonly clock: ProcessingClock;
  private readonly ingests = new Map<string, IngestRecord>();
  /** In creation order, which is the order `GET media` lists them in. */
  private readonly medias: MediaRecord[] = [];
  private readonly failures: string[] = [];
  /** Where thumbnails point: the address last served on (a started server, or an in-memory fetch's). */
  private base = "http://simulator.invalid";

  constructor(options: ViostreamSimulatorOptions = {}) {
    super();
    this.credentials = {
      accessKey: options.accessKey ?? DEFAULT_SIMULATOR_ACCESS_KEY,
      apiKey: options.apiKey ?? DEFAULT_SIMULATOR_API_KEY,
    };
    this.clock = new ProcessingClock(options.processingMs ?? 300, options.now);
    this.server = new SimulatorServer(
      "Viostream",
      {
        "GET /account/info": this.authed(() => this.accountInfo()),
        "POST /media/new": this.authed((request) => this.createIngest(request)),
        "GET /media/new/status/:ingestId": this.authed((request) => this.ingestStatus(request)),
        "GET /media": this.authed((request) => this.listMedia(request)),
      },
      viostreamDialect,
    );
  }

  /** Starts listening on 127.0.0.1 and returns the base URL (use it as the client's `baseUrl`). */
  override async start(port = 0): Promise<string> {
    this.base = await super.start(port);
    return this.base;
  }

  /** The next accepted ingest reads its source, makes its media, then ends `Failed` with this reason. */
  failNextIngest(reason: string): void {
    this.failures.push(reason);
  }

  /** Every ingest accepted so far (a media or not yet): a fault suite counts duplicates with it. */
  ingestRecords(): { ingestId: string; sourceUrl: string; referenceId: string | undefined }[] {
    return [...this.ingests.values()].map((ingest) => ({
      ingestId: ingest.id,
      sourceUrl: ingest.sourceUrl,
      referenceId: ingest.referenceId,
    }));
  }

  /** Every media made so far, as `GET media` shows it now, in creation order. */
  media(): ViostreamMedia[] {
    return this.medias.map((media) => mediaSchema.parse(this.mediaView(media)));
  }

  private readonly authed = guard(
    (request) => {
      this.base = request.baseUrl;
      return this.authorised(request.headers.authorization);
    },
    () => ({
      ...problem(401, "Unauthorized", "Basic credentials (access key and API key) were not accepted"),
      headers: { "www-authenticate": 'Basic realm="Viostream API"' },
    }),
  );

  private authorised(header: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
    if (!match?.[1]) return false;
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    return (
      sameText(decoded.slice(0, colon), this.credentials.accessKey) &&
      sameText(decoded.slice(colon + 1), this.credentials.apiKey)
    );
  }

  private accountInfo(): SimulatorResponse {
    return {
      status: 200,
      body: { id: "acc_simulator", name: "Viostream simulator", mediaCount: this.medias.length },
    };
  }

  private createIngest(request: SimulatorRequest): SimulatorResponse {
    if (!isJsonObject(request.json)) {
      return validationProblem({ body: ["The request body must be a JSON object."] });
    }
    const parsed = createIngestRequestSchema.safeParse(request.json);
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join(".") || "body";
        errors[field] = [...(errors[field] ?? []), `${field} ${issue.message}`];
      }
      return validationProblem(errors);
    }
    const body = parsed.data;
    // A second ingest with a referenceId already in use is accepted and makes a second media: the guide asks
    // callers to keep reference ids unique, it does not say Viostream enforces it.
    const record: IngestRecord = {
      id: randomUUID(),
      sourceUrl: body.sourceUrl,
      filename: body.filename,
      extension: body.extension.toLowerCase(),
      referenceId: body.referenceId,
      startedAt: this.clock.stamp(),
      forcedFailure: this.failures.shift(),
      outcome: undefined,
      media: undefined,
    };
    this.ingests.set(record.id, record);
    const work = this.server.work;
    work.track(
      probeSource(record.sourceUrl, record.extension, work.signal).then((outcome) => {
        record.outcome = outcome;
        if (outcome.ok && !work.stopped) this.makeMedia(record, outcome.durationSeconds);
      }),
    );
    return { status: 200, body: { ingestId: record.id } };
  }

  private ingestStatus(request: SimulatorRequest): SimulatorResponse {
    const ingestId = request.params.ingestId ?? "";
    const record = this.ingests.get(ingestId);
    if (!record) return problem(404, "Not Found", `Ingest ${ingestId} was not found`);
    const state = this.state(record);
    if (state !== "Failed") return { status: 200, body: { status: state } };
    return { status: 200, body: { status: state, error: this.failureReason(record) } };
  }

  private listMedia(request: SimulatorRequest): SimulatorResponse {
    const pageSize = pageParameter(request.query, "PageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    if (!pageSize.ok) return pageSize.response;
    const pageNumber = pageParameter(request.query, "PageNumber", 1, Number.MAX_SAFE_INTEGER);
    if (!pageNumber.ok) return pageNumber.response;
    const referenceId = queryValue(request.query, "referenceId");
    const matching = this.medias.filter(
      (media) => referenceId === undefined || media.ingest.referenceId === referenceId,
    );
    const start = (pageNumber.value - 1) * pageSize.value;
    const body: ViostreamMediaListWire = {
      listResult: {
        items: matching.slice(start, start + pageSize.value).map((media) => this.mediaView(media)),
        totalItems: matching.length,
        pageNumber: pageNumber.value,
        pageSize: pageSize.value,
      },
    };
    return { status: 200, body };
  }

  private makeMedia(record: IngestRecord, durationSeconds: number): void {
    const key = randomBytes(6).toString("hex");
    const media: MediaRecord = {
      id: `media_${randomBytes(6).toString("hex")}`,
      key,
      createdDate: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      durationSeconds,
      ingest: record,
    };
    record.media = media;
    this.medias.push(media);
  }

  /** `Processing` until both the processing time has passed and the source has been read. */
  private state(record: IngestRecord): ViostreamIngestState {
    if (record.outcome === undefined || !this.clock.done(record.startedAt)) return "Processing";
    if (!record.outcome.ok || record.forcedFailure !== undefined) return "Failed";
    return "Online";
  }

  private failureReason(record: IngestRecord): string {
    if (record.outcome && !record.outcome.ok) return record.outcome.reason;
    return record.forcedFailure ?? "ingest failed";
  }

  private mediaView(media: MediaRecord): ViostreamMediaWire {
    return {
      id: media.id,
      key: media.key,
      title: media.ingest.filename,
      description: null,
      duration: formatDuration(media.durationSeconds),
      status: this.state(media.ingest),
      createdDate: media.createdDate,
      referenceId: media.ingest.referenceId ?? null,
      thumbnail: `${this.base}/thumbnails/${media.key}_small.jpg`,
    };
  }
}

/** Seconds as Viostream writes a duration, `HH:MM:SS`, to the nearest second. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

const viostreamDialect: ProviderDialect = {
  rateLimited: (retryAfterSeconds) => ({
    ...problem(429, "Too Many Requests", "Rate limit exceeded, slow down"),
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  unavailable: (status) => problem(status, "Service Unavailable", "The service is temporarily unavailable"),
  notFound: (path) => problem(404, "Not Found", `No resource at ${path}`),
};

/** An error as the simulator assumes Viostream writes one: ASP.NET Core problem details (README.md). */
function problem(status: number, title: string, detail: string): SimulatorResponse {
  return {
    status,
    body: { type: `https://httpstatuses.io/${status}`, title, status, detail },
    headers: { "content-type": "application/problem+json" },
  };
}

/** ASP.NET Core's validation problem: each field named with its messages. */
function validationProblem(errors: Record<string, string[]>): SimulatorResponse {
  return {
    status: 400,
    body: {
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "One or more validation errors occurred.",
      status: 400,
      errors,
    },
    headers: { "content-type": "application/problem+json" },
  };
}

/** A query parameter by name in any case: ASP.NET binds `pageSize` and `PageSize` alike. */
function queryValue(query: URLSearchParams, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function pageParameter(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
): { ok: true; value: number } | { ok: false; response: SimulatorResponse } {
  const given = queryValue(query, name);
  if (given === undefined || given === "") return { ok: true, value: fallback };
  const value = Number(given);
  if (/^\d+$/.test(given) && value >= 1 && value <= max) return { ok: true, value };
  const range = max === Number.MAX_SAFE_INTEGER ? "at least 1" : `between 1 and ${max}`;
  return {
    ok: false,
    response: validationProblem({ [name]: [`${name} must be a whole number ${range} (got "${given}")`] }),
  };
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
