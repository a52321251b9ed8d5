import { z } from "zod";
import { ProviderError, ProviderProtocolError } from "../core/errors";
import {
  type DescribedError,
  type Fetch,
  ProviderHttpClient,
  type ProviderRequest,
} from "../core/ProviderHttpClient";
import {
  accountSchema,
  type CreateIngestRequest,
  ingestSchema,
  ingestStatusSchema,
  MAX_PAGE_SIZE,
  MAX_REFERENCE_ID_LENGTH,
  mediaListSchema,
  VIOSTREAM_EXTENSIONS,
  type ViostreamAccount,
  type ViostreamIngestStatus,
  type ViostreamMedia,
} from "./schemas";

export type { ViostreamAccount, ViostreamExtension, ViostreamIngestStatus, ViostreamMedia } from "./schemas";

/** The provider name every error of this client carries (and the job spec's provider id). */
export const VIOSTREAM_PROVIDER = "viostream";

/** Where the real v3 API lives. */
export const VIOSTREAM_BASE_URL = "https://api.app.viostream.com/v3/api";

/** Where the public player lives; a media's embed URL is this plus its public key. */
export const VIOSTREAM_PLAYER_BASE_URL = "https://play.viostream.com/iframe/";

/** Viostream's HTTP Basic credentials: the access key (`VC-...`) as user name, the API key as password. */
export interface ViostreamCredentials {
  accessKey: string;
  apiKey: string;
}

/** How to reach Viostream. */
export interface ViostreamClientOptions {
  /** `https://api.app.viostream.com/v3/api`, or a simulator's base URL. */
  baseUrl: string;
  credentials: ViostreamCredentials;
  fetch?: Fetch;
  timeoutMs?: number;
}

/** Input of `createIngest`, in the names `POST media/new` uses. */
export interface CreateIngestInput {
  /** A URL Viostream downloads the video from (for an S3 object, a presigned GET). */
  sourceUrl: string;
  /** The display name; it becomes the media's title. */
  filename: string;
  /** One of `VIOSTREAM_EXTENSIONS`, any case. */
  extension: string;
  /** Required here although optional for Viostream: it is the only way to find the media again. */
  referenceId: string;
}

/** Bad input or configuration caught before anything is sent; `field` names what is wrong. */
export class ViostreamInputError extends Error {
  override readonly name = "ViostreamInputError";
  readonly provider = VIOSTREAM_PROVIDER;
  readonly operation: string;
  readonly field: string;

  constructor(operation: string, field: string, message: string) {
    super(message);
    this.operation = operation;
    this.field = field;
  }
}

const nonEmpty = z.string({ error: "must be a string" }).trim().min(1, "must not be empty");
const referenceId = nonEmpty.max(
  MAX_REFERENCE_ID_LENGTH,
  `must be at most ${MAX_REFERENCE_ID_LENGTH} characters (an assumed limit)`,
);
const createIngestInput = z.object({
  sourceUrl: z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" }),
  filename: nonEmpty,
  extension: z
    .string({ error: "must be a string" })
    .trim()
    .toLowerCase()
    .pipe(z.enum(VIOSTREAM_EXTENSIONS, { error: `must be one of ${VIOSTREAM_EXTENSIONS.join(", ")}` })),
  referenceId,
});

/**
 * Viostream's v3 REST API, the four calls of its import guide: check the account, start an ingest from a
 * URL, poll the ingest, find the media by reference id. `createIngest` is never repeated by this client:
 * Viostream accepts a second ingest with the same referenceId and makes a second media, so after a lost
 * answer the caller looks the media up with `findMediaByReferenceId` before creating again.
 */
export class ViostreamClient {
  private readonly http: ProviderHttpClient;
  /** Every form the credentials travel in, so none can leak through an error message. */
  private readonly secrets: string[];

  constructor(options: ViostreamClientOptions) {
    const { accessKey, apiKey } = checkCredentials(options.credentials);
    if (typeof options.baseUrl !== "string" || !URL.canParse(options.baseUrl)) {
      throw new ViostreamInputError(
        "configure",
        "baseUrl",
        `${VIOSTREAM_PROVIDER}: baseUrl is not a URL (got ${preview(options.baseUrl)})`,
      );
    }
    const token = Buffer.from(`${accessKey}:${apiKey}`, "utf8").toString("base64");
    const headers = { authorization: `Basic ${token}` };
    this.secrets = [token, apiKey, accessKey];
    this.http = new ProviderHttpClient({
      provider: VIOSTREAM_PROVIDER,
      baseUrl: options.baseUrl,
      // Static credentials: a 401 is final, there is nothing to refresh.
      authorizer: { headers: async () => headers },
      describeError: describeViostreamError,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }

  /** `GET account/info`: the guide's way to test the credentials; a refusal is ProviderAuthError. */
  async accountInfo(): Promise<ViostreamAccount> {
    return this.request({
      operation: "accountInfo",
      method: "GET",
      path: "/account/info",
      schema: accountSchema,
    });
  }

  /**
   * `POST media/new`: Viostream downloads `sourceUrl` and makes a media of it, asynchronously. Not idempotent:
   * a lost answer is ProviderOutcomeUnknownError, to be resolved with `findMediaByReferenceId`.
   */
  async createIngest(input: CreateIngestInput): Promise<{ ingestId: string }> {
    const valid = validate("createIngest", createIngestInput, input);
    const body: CreateIngestRequest = {
      sourceUrl: valid.sourceUrl,
      filename: valid.filename,
      extension: valid.extension,
      referenceId: valid.referenceId,
    };
    const answer = await this.request({
      operation: "createIngest",
      method: "POST",
      path: "/media/new",
      json: body,
      schema: ingestSchema,
    });
    return { ingestId: answer.ingestId };
  }

  /** `GET media/new/status/{ingestId}`: `Processing` until the media is `Online` or the ingest `Failed`. */
  async getIngestStatus(ingestId: string): Promise<ViostreamIngestStatus> {
    const id = validate("getIngestStatus", nonEmpty, ingestId, "ingestId");
    const answer = await this.request({
      operation: "getIngestStatus",
      method: "GET",
      path: `/media/new/status/${encodeURIComponent(id)}`,
      schema: ingestStatusSchema,
    });
    return { status: answer.status, ...(answer.error ? { error: answer.error } : {}) };
  }

  /**
   * `GET media?referenceId=`: the media an ingest with this reference id made, or `undefined` when there is
   * none yet. Only items whose `referenceId` matches exactly count (a server that ignored the filter must not
   * hand us someone else's video); among several (a duplicated create), an `Online` one wins, then one still
   * `Processing`, then the first listed.
   */
  async findMediaByReferenceId(referenceIdValue: string): Promise<ViostreamMedia | undefined> {
    const wanted = validate("findMediaByReferenceId", referenceId, referenceIdValue, "referenceId");
    const page = await this.request({
      operation: "findMediaByReferenceId",
      method: "GET",
      path: "/media",
      query: { referenceId: wanted, PageSize: MAX_PAGE_SIZE },
      schema: mediaListSchema,
    });
    const matches = page.listResult.items.filter((item) => item.referenceId === wanted);
    return (
      matches.find((item) => item.status === "Online") ??
      matches.find((item) => item.status === "Processing") ??
      matches[0]
    );
  }

  private async request<T>(request: ProviderRequest<T>): Promise<T> {
    try {
      return await this.http.request(request);
    } catch (error) {
      // Messages quote Viostream's answer, and a misbehaving server could echo the Authorization header.
      if (error instanceof ProviderError) redact(error, this.secrets);
      throw error;
    }
  }
}

/**
 * Seconds in a Viostream duration: `HH:MM:SS` with optional fractional seconds ("00:01:05" is 65,
 * "01:02:03.5" is 3723.5). A leading day count (`1.02:03:04`, .NET's TimeSpan form past 24 h) is accepted
 * too. Anything else is a ProviderProtocolError: the duration comes from Viostream's answer.
 */
export function parseDuration(text: string): number {
  const match =
    typeof text === "string" ? /^(?:(\d+)\.)?(\d+):([0-5]\d):([0-5]\d)(\.\d+)?$/.exec(text) : null;
  if (!match) {
    throw new ProviderProtocolError(
      `${VIOSTREAM_PROVIDER} parseDuration: duration ${preview(text)} is not HH:MM:SS (optionally with fractional seconds)`,
      { provider: VIOSTREAM_PROVIDER, operation: "parseDuration" },
    );
  }
  const [, days = "0", hours = "0", minutes = "0", seconds = "0", fraction = ""] = match;
  const whole = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  return fraction === "" ? whole : whole + Number(`0${fraction}`);
}

/** The media's player URL and the guide's responsive iframe snippet (16:9 box, full width). */
export function embedFor(media: { key: string }): { embedUrl: string; iframe: string } {
  const key = validate("embedFor", nonEmpty, media?.key, "key");
  // Encoded, so that a key can neither leave the player's path nor break out of the src attribute.
  const embedUrl = `${VIOSTREAM_PLAYER_BASE_URL}${encodeURIComponent(key)}`;
  const iframe = [
    '<div style="padding-bottom:56.25%; position:relative; display:block; width:100%">',
    "  <iframe",
    '    width="100%"',
    '    height="100%"',
    `    src="${embedUrl}"`,
    '    referrerpolicy="strict-origin-when-cross-origin"',
    '    allow="autoplay; encrypted-media; picture-in-picture"',
    "    allowfullscreen",
    '    frameBorder="0"',
    '    style="position:absolute; top: 0; left: 0">',
    "  </iframe>",
    "</div>",
  ].join("\n");
  return { embedUrl, iframe };
}

/**
 * Reads a Viostream error body. Its format is not documented, so the common shapes are all read:
 * `{message}` (any key case), `{error: "..."}`, `{error: {message, field}}`, `{errors: [...]}` of strings or
 * `{field, message}`, ASP.NET's `{title, detail}` and `{title, errors: {Field: ["..."]}}`, and plain text.
 */
export function describeViostreamError(_status: number, body: unknown): DescribedError | undefined {
  if (typeof body === "string") return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
  if (!isRecord(body)) return undefined;
  const nested = isRecord(pick(body, "error")) ? (pick(body, "error") as Record<string, unknown>) : undefined;
  const listed = errorList(pick(body, "errors"));
  const headline =
    text(pick(nested, "message")) ??
    text(pick(body, "error")) ??
    text(pick(body, "message")) ??
    joined(text(pick(body, "title")), text(pick(body, "detail")));
  const details = listed.map((item) => (item.field ? `${item.field}: ${item.message}` : item.message));
  const message = joined(headline, details.length > 0 ? details.join("; ") : undefined);
  if (message === undefined) return undefined;
  const field =
    fieldName(pick(nested, "field")) ??
    fieldName(pick(body, "field")) ??
    fieldName(pick(body, "propertyName")) ??
    fieldName(pick(body, "param")) ??
    listed.find((item) => item.field !== undefined)?.field;
  return field === undefined ? { message } : { message, field };
}

function checkCredentials(credentials: ViostreamCredentials | undefined): ViostreamCredentials {
  // Say what is wrong with a credential, never what it is.
  const accessKey = credentials?.accessKey;
  const apiKey = credentials?.apiKey;
  if (typeof accessKey !== "string" || !/^VC-[^\s:]+$/.test(accessKey)) {
    throw new ViostreamInputError(
      "configure",
      "accessKey",
      `${VIOSTREAM_PROVIDER}: credentials.accessKey must be a Viostream access key, "VC-" followed by the key without spaces or colons (the value is not shown)`,
    );
  }
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new ViostreamInputError(
      "configure",
      "apiKey",
      `${VIOSTREAM_PROVIDER}: credentials.apiKey is missing or empty`,
    );
  }
  return { accessKey, apiKey };
}

function redact(error: Error, secrets: readonly string[]): void {
  const scrub = (target: Error, property: "message" | "stack") => {
    const value = target[property];
    if (value === undefined) return;
    const clean = secrets.reduce(
      (current, secret) => (secret ? current.split(secret).join("[redacted]") : current),
      value,
    );
    if (clean === value) return;
    try {
      target[property] = clean;
    } catch {
      // Some platform errors (DOMException) have read-only messages; those never quote a server's answer.
    }
  };
  scrub(error, "message");
  // V8 renders the stack on first read: if anything read it already, it holds the old message.
  scrub(error, "stack");
  // A JSON parse error quotes the body it choked on.
  if (error.cause instanceof Error) {
    scrub(error.cause, "message");
    scrub(error.cause, "stack");
  }
}

function validate<T>(operation: string, schema: z.ZodType<T>, input: unknown, root?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const described = issues.slice(0, 3).map((issue) => {
    const path = [root, ...issue.path.map(String)]
      .filter((part) => part !== undefined && part !== "")
      .join(".");
    const value = root === undefined ? valueAt(input, issue.path) : input;
    return { field: path || "(input)", text: `${path || "input"} ${issue.message} (got ${preview(value)})` };
  });
  const first = described[0] ?? { field: root ?? "(input)", text: "input is invalid" };
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : "";
  throw new ViostreamInputError(
    operation,
    first.field,
    `${VIOSTREAM_PROVIDER} ${operation}: invalid input: ${described.map((item) => item.text).join("; ")}${more}`,
  );
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
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

/** `errors` as a list (strings or `{field, message}`) or as ASP.NET's map of field to messages. */
function errorList(value: unknown): { field?: string; message: string }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === "string") return item.trim() ? [{ message: item.trim() }] : [];
      if (!isRecord(item)) return [];
      const message =
        text(pick(item, "message")) ?? text(pick(item, "msg")) ?? text(pick(item, "errorMessage"));
      if (message === undefined) return [];
      const field =
        fieldName(pick(item, "field")) ??
        fieldName(pick(item, "propertyName")) ??
        fieldName(pick(item, "param"));
      return [field === undefined ? { message } : { field, message }];
    });
  }
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, messages]) => {
    const said = (Array.isArray(messages) ? messages : [messages])
      .map(text)
      .filter((item) => item !== undefined);
    const field = fieldName(key);
    return said.length === 0 ? [] : [{ ...(field === undefined ? {} : { field }), message: said.join(" ") }];
  });
}

/** A field name as the caller knows it: ASP.NET prefixes JSON paths with `$.`, and `$` alone is the body. */
function fieldName(value: unknown): string | undefined {
  const name = text(value)?.replace(/^\$\.?/, "");
  return name === undefined || name === "" ? undefined : name;
}

/** A property by name in any case: .NET services answer `Message` as readily as `message`. */
function pick(record: Record<string, unknown> | undefined, name: string): unknown {
  if (!record) return undefined;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

function joined(first: string | undefined, second: string | undefined): string | undefined {
  if (first === undefined || second === undefined || first === second) return first ?? second;
  return /[.!?:]$/.test(first) ? `${first} ${second}` : `${first}: ${second}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
