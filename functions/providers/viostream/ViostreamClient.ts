import { z } from "zod";
import { invalidOption, requireApiKey, requireBaseUrl, staticCredentials } from "../core/clientOptions";
import { describePlainText, isRecord, textOf } from "../core/errorBodies";
import { ProviderProtocolError } from "../core/errors";
import { parseOrThrow, previewValue } from "../core/InvalidInputError";
import { type DescribedError, type Fetch, ProviderHttpClient } from "../core/ProviderHttpClient";
import { viostreamProvider } from "./provider";
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
export const VIOSTREAM_BASE_URL = viostreamProvider.baseUrl;

/** Where the public player lives; a media's embed URL is this plus its public key. */
export const VIOSTREAM_PLAYER_BASE_URL = "https://play.viostream.com/iframe/";

/** Viostream's HTTP Basic credentials: the access key (`VC-...`) as user name, the API key as password. */
export interface ViostreamCredentials {
  accessKey: string;
  apiKey: string;
}

/** How to reach Viostream. */
export interface ViostreamClientOptions {
  /** `VIOSTREAM_BASE_URL`, or a simulator's base URL. */
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

  constructor(options: ViostreamClientOptions) {
    const { accessKey, apiKey } = checkCredentials(options.credentials);
    const token = Buffer.from(`${accessKey}:${apiKey}`, "utf8").toString("base64");
    this.http = new ProviderHttpClient({
      provider: VIOSTREAM_PROVIDER,
      baseUrl: requireBaseUrl(VIOSTREAM_PROVIDER, options.baseUrl),
      // Every form the credentials travel in, so none can leak through an error message.
      ...staticCredentials({ authorization: `Basic ${token}` }, [token, apiKey, accessKey]),
      describeError: describeViostreamError,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
    });
  }

  /** `GET account/info`: the guide's way to test the credentials; a refusal is ProviderAuthError. */
  async accountInfo(): Promise<ViostreamAccount> {
    return this.http.request({
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
    // The checked input is the wire body: the same four names, unknown ones stripped.
    const body: CreateIngestRequest = validate("createIngest", createIngestInput, input);
    const answer = await this.http.request({
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
    const answer = await this.http.request({
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
    const page = await this.http.request({
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
      `${VIOSTREAM_PROVIDER} parseDuration: duration ${previewValue(text)} is not HH:MM:SS (optionally with fractional seconds)`,
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
  if (typeof body === "string") return describePlainText(body);
  if (!isRecord(body)) return undefined;
  const nested = isRecord(pick(body, "error")) ? (pick(body, "error") as Record<string, unknown>) : undefined;
  const listed = errorList(pick(body, "errors"));
  const headline =
    textOf(pick(nested, "message")) ??
    textOf(pick(body, "error")) ??
    textOf(pick(body, "message")) ??
    joined(textOf(pick(body, "title")), textOf(pick(body, "detail")));
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
    throw invalidOption(
      VIOSTREAM_PROVIDER,
      "accessKey",
      'must be a Viostream access key, "VC-" followed by the key without spaces or colons (the value is not shown)',
    );
  }
  return { accessKey, apiKey: requireApiKey(VIOSTREAM_PROVIDER, apiKey) };
}

/** Checks an operation's input before anything is sent; a failure is an InvalidInputError naming the field. */
function validate<T>(operation: string, schema: z.ZodType<T>, input: unknown, root?: string): T {
  return parseOrThrow(schema, input, "input", { provider: VIOSTREAM_PROVIDER, operation, root });
}

/** `errors` as a list (strings or `{field, message}`) or as ASP.NET's map of field to messages. */
function errorList(value: unknown): { field?: string; message: string }[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === "string") return item.trim() ? [{ message: item.trim() }] : [];
      if (!isRecord(item)) return [];
      const message =
        textOf(pick(item, "message")) ?? textOf(pick(item, "msg")) ?? textOf(pick(item, "errorMessage"));
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
      .map(textOf)
      .filter((item) => item !== undefined);
    const field = fieldName(key);
    return said.length === 0 ? [] : [{ ...(field === undefined ? {} : { field }), message: said.join(" ") }];
  });
}

/** A field name as the caller knows it: ASP.NET prefixes JSON paths with `$.`, and `$` alone is the body. */
function fieldName(value: unknown): string | undefined {
  const name = textOf(value)?.replace(/^\$\.?/, "");
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
