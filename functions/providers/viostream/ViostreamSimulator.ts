/**
 * A local Viostream: the four routes of the import guide served on 127.0.0.1 with HTTP Basic auth,
 * asynchronous ingests, the media list with paging, and the core's switchable faults. README.md lists what
 * is documented and what the simulator assumes.
 *
 * An ingest really fetches `sourceUrl`, the way Viostream does, so an expired presigned URL or a missing S3
 * object ends the ingest `Failed`, as it would in production. It reads only a few bounded byte ranges of the
 * source: enough for the MP4/MOV `moov` and its duration, never the media data.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { readMovieBox } from "../../pipeline/MovieParser";
import { ProcessingClock } from "../core/simulator/ProcessingClock";
import { isJsonObject } from "../core/simulator/requestBody";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type { ProviderDialect, SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import * as probe from "../core/simulator/sourceProbe";
import type {
  ViostreamIngestState,
  ViostreamMedia,
  ViostreamMediaListWire,
  ViostreamMediaWire,
} from "./schemas";
import { createIngestRequestSchema, MAX_PAGE_SIZE, mediaSchema } from "./schemas";

/** The access key the simulator accepts unless told otherwise. */
export const DEFAULT_SIMULATOR_ACCESS_KEY = "VC-simulator";
/** The API key the simulator accepts unless told otherwise. */
export const DEFAULT_SIMULATOR_API_KEY = "sim-viostream-key";
/** `PageSize` of `GET media` when the request names none (assumed; not documented). */
export const DEFAULT_PAGE_SIZE = 20;
/** Duration given to a source whose length cannot be read cheaply (not MP4/MOV, or no ranged reads). */
export const FALLBACK_DURATION_SECONDS = 60;

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

type ProbeOutcome = { ok: true; durationSeconds: number; measured: boolean } | { ok: false; reason: string };

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

// ---------------------------------------------------------------------------------------------------------
// Reading a source: a few bounded ranged GETs, enough to find the `moov` box and read the duration (mp4box).

/** Bytes asked for per read: the whole head of a faststart MP4 (ftyp, moov, mdat header) fits in it. */
const WINDOW_BYTES = 64 * 1024;
/** Ranged reads per source; a moov after the media data takes two. */
const MAX_READS = 4;
/** Top-level boxes walked before giving up on finding a moov. */
const MAX_TOP_LEVEL_BOXES = 32;
/** Extensions whose container the simulator reads; the others get the fallback duration. */
const ISO_BMFF_EXTENSIONS = new Set(["mp4", "mov", "3gp"]);

/** A source read through byte ranges, keeping only the last window fetched. */
class RangedSource {
  reads = 0;
  /** The file's size, once a response has told it. */
  total: number | undefined;
  private window: { start: number; bytes: Buffer; atEnd: boolean } | undefined;

  constructor(
    private readonly url: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Whether `[offset, offset + length)` is already in hand (or the file ends inside what is in hand). */
  holds(offset: number, length: number): boolean {
    const window = this.window;
    if (!window || offset < window.start) return false;
    const end = window.start + window.bytes.length;
    return offset + length <= end || (window.atEnd && offset <= end);
  }

  /**
   * Up to `length` bytes from `offset` (fewer at the end of the file). "refused" when the server will not
   * serve a range we must jump to, "budget" when the reads are used up: both mean "cannot tell cheaply".
   */
  async at(offset: number, length: number): Promise<Buffer | "refused" | "budget" | { failed: string }> {
    if (!this.holds(offset, length)) {
      const fetched = await this.fetchWindow(offset, Math.max(length, WINDOW_BYTES));
      if (typeof fetched === "string" || "failed" in fetched) return fetched;
      this.window = fetched;
    }
    const window = this.window;
    if (!window) return Buffer.alloc(0);
    return window.bytes.subarray(offset - window.start, offset - window.start + length);
  }

  private async fetchWindow(
    offset: number,
    length: number,
  ): Promise<{ start: number; bytes: Buffer; atEnd: boolean } | "refused" | "budget" | { failed: string }> {
    if (this.reads >= MAX_READS) return "budget";
    this.reads += 1;
    let response: Response;
    try {
      response = await fetch(this.url, {
        headers: { range: `bytes=${offset}-${offset + length - 1}` },
        signal: this.signal,
      });
    } catch (error) {
      return { failed: `source could not be downloaded (${probe.networkReason(error)})` };
    }
    if (response.status === 416) {
      await response.body?.cancel().catch(() => undefined);
      return { start: offset, bytes: Buffer.alloc(0), atEnd: true };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return { failed: `source could not be downloaded (HTTP ${response.status})` };
    }
    if (response.status !== 206) {
      // The server sent the whole file: fine for the head, but it cannot take us past the media data.
      this.total ??= probe.contentLength(response.headers.get("content-length"));
      if (offset > 0) {
        await response.body.cancel().catch(() => undefined);
        return "refused";
      }
    } else {
      this.total ??= rangeTotal(response.headers.get("content-range"));
    }
    const bytes = await readAtMost(response.body, length);
    const atEnd = bytes.length < length || (this.total !== undefined && offset + bytes.length >= this.total);
    return { start: offset, bytes, atEnd };
  }
}

/** Reads the source's duration; never throws: a failure is the ingest's error text. */
async function probeSource(url: string, extension: string, stop: AbortSignal): Promise<ProbeOutcome> {
  const source = new RangedSource(url, probe.deadline(stop));
  const fallback: ProbeOutcome = { ok: true, durationSeconds: FALLBACK_DURATION_SECONDS, measured: false };
  const failed = (reason: string): ProbeOutcome => ({ ok: false, reason });
  try {
    const head = await source.at(0, 16);
    if (typeof head === "string") return fallback;
    if ("failed" in head) return failed(head.failed);
    if (head.length === 0) return failed("source is empty");
    if (!probe.looksIsoBmff(head)) {
      return ISO_BMFF_EXTENSIONS.has(extension)
        ? failed(`source is not a readable ${extension} video`)
        : fallback;
    }
    let offset = 0;
    let seconds: number | undefined;
    for (let boxes = 0; boxes < MAX_TOP_LEVEL_BOXES; boxes += 1) {
      if (source.total !== undefined && offset >= source.total) break;
      // Past the moov, headers are only checked while they are already in hand, to catch a cut-off file.
      if (seconds !== undefined && !source.holds(offset, 16)) break;
      const header = await source.at(offset, 16);
      if (typeof header === "string") return seconds === undefined ? fallback : measured(seconds);
      if ("failed" in header) return failed(header.failed);
      if (header.length === 0) break;
      const box = probe.readBoxHeader(header, offset, source.total);
      if ("problem" in box) return failed(`source ${box.problem}`);
      const { type, size, end } = box;
      if (type === "moov" && seconds === undefined) {
        if (size > probe.MAX_MOOV_BYTES) return fallback;
        const moov = await source.at(offset, size);
        if (typeof moov === "string") return fallback;
        if ("failed" in moov) return failed(moov.failed);
        seconds = movieSeconds(moov);
        if (seconds === undefined) return failed("source has an unreadable moov box");
      }
      if (!Number.isFinite(end)) break;
      offset = end;
    }
    if (seconds !== undefined) return measured(seconds);
    return source.total !== undefined && offset >= source.total
      ? failed("source has no moov box: not a playable video")
      : fallback;
  } catch (error) {
    return failed(`source could not be read (${probe.networkReason(error)})`);
  }
}

function measured(seconds: number): ProbeOutcome {
  return { ok: true, durationSeconds: seconds, measured: true };
}

/** The movie duration in seconds from a whole `moov` box, as mp4box reads it. */
function movieSeconds(moov: Buffer): number | undefined {
  const movie = readMovieBox(moov);
  return movie && movie.timescale > 0 ? movie.duration / movie.timescale : undefined;
}

/** Reads a body up to `limit` bytes and hangs up, so a server that ignores ranges cannot make us download a film. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    while (length < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      length += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

function rangeTotal(value: string | null): number | undefined {
  const total = /\/(\d+)\s*$/.exec(value ?? "")?.[1];
  return total === undefined ? undefined : Number(total);
}
