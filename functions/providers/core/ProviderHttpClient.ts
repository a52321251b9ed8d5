import type { z } from "zod";
import {
  ProviderAuthError,
  type ProviderErrorContext,
  ProviderOutcomeUnknownError,
  ProviderRejectedError,
  ProviderUnavailableError,
  RateLimitedError,
} from "./errors";
import { redactSecrets, redactText } from "./redactSecrets";

/** The transport: `fetch` itself in production, anything with its shape in unit tests. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** How a provider client authenticates; `refresh` exists only where a fresh credential can help. */
export interface Authorizer {
  headers(): Promise<Record<string, string>>;
  /** Drops any cached credential so the next `headers()` fetches a new one. */
  refresh?(): Promise<void>;
}

/** A provider's error body, read in its own format. */
export interface DescribedError {
  message: string;
  field?: string;
}

/** Reads an error body (JSON when it parses, else `undefined`); `undefined` when it says nothing useful. */
export type DescribeError = (status: number, body: unknown) => DescribedError | undefined;

export interface ProviderHttpClientOptions {
  provider: string;
  baseUrl: string;
  authorizer?: Authorizer;
  /** Reads the provider's error format; `undefined` when the body says nothing useful. */
  describeError: DescribeError;
  /**
   * The credentials this client sends, asked for each time an error is thrown (tokens change over time):
   * every one is replaced by `[redacted]` in the errors it throws, since their messages quote the answer
   * and a misbehaving server can echo what it was sent.
   */
  secrets?: () => readonly string[];
  /** The header carrying the provider's back-off advice on a 429. */
  retryAfterHeader?: string;
  timeoutMs?: number;
  fetch?: Fetch;
}

interface RequestParts {
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  /** A ReadableStream is streamed (sent with `duplex: "half"`, which fetch requires for one). */
  body?: RequestInit["body"];
  timeoutMs?: number;
  /** Set for requests that carry their own credentials (a token exchange), so a 401 is not retried. */
  anonymous?: boolean;
  /**
   * Set when sending the request twice does no harm (a token exchange, re-sending an upload range, a PUT of
   * the same bytes). GETs always are. Such a request is retryable (ProviderUnavailableError) when its answer
   * is lost or unreadable; any other fails with ProviderOutcomeUnknownError.
   */
  idempotent?: boolean;
  /** Reads the error format of this request's answer when it is not the provider's (upload storage). */
  describeError?: DescribeError;
}

/**
 * Where a request goes: a path below the base URL, or an absolute URL someone handed out (a pre-signed
 * upload URL). An absolute URL is its own credential and belongs to someone else, so it goes anonymous.
 */
type RequestTarget =
  | { path: string; absoluteUrl?: undefined }
  | { absoluteUrl: string; anonymous: true; path?: undefined };

/** A request whose answer is parsed against `schema`. */
export type ProviderRequest<T> = RequestParts & RequestTarget & { schema: z.ZodType<T> };

/** A request whose successful answer is not read (storage answers with XML or nothing): it yields `undefined`. */
export type UnreadProviderRequest = RequestParts & RequestTarget & { schema?: undefined };

type AnyRequest = RequestParts & RequestTarget & { schema?: z.ZodType<unknown> };

const DEFAULT_TIMEOUT_MS = 30_000;
/** When a 429 comes without advice we still wait: an immediate retry would only be refused again. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;
const MAX_RETRY_AFTER_SECONDS = 3600;

/** JSON over HTTP for one provider: timeouts, auth, schema checks and the mapping of failures to errors. */
export class ProviderHttpClient {
  private readonly options: ProviderHttpClientOptions;
  private readonly fetch: Fetch;

  constructor(options: ProviderHttpClientOptions) {
    this.options = options;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get provider(): string {
    return this.options.provider;
  }

  /**
   * Sends one request and returns its body parsed against `schema` (`undefined` without one); throws a
   * named provider error, with every secret redacted.
   */
  async request<T>(request: ProviderRequest<T>): Promise<T>;
  async request(request: UnreadProviderRequest): Promise<undefined>;
  async request(request: AnyRequest): Promise<unknown> {
    try {
      const first = await this.send(request);
      if (first.status === 401 && !request.anonymous && this.options.authorizer?.refresh) {
        // A token can expire between our expiry check and the provider's: one fresh token, then give up.
        await first.body?.cancel();
        await this.options.authorizer.refresh();
        return await this.read(request, await this.send(request));
      }
      return await this.read(request, first);
    } catch (error) {
      throw redactSecrets(error, this.options.secrets?.() ?? []);
    }
  }

  /** Builds the absolute URL of a path, for callers that hand URLs to others (webhooks, players). */
  url(path: string, query?: RequestParts["query"]): string {
    return withQuery(new URL(this.options.baseUrl.replace(/\/+$/, "") + path), query);
  }

  private async send(request: AnyRequest): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (!request.anonymous && this.options.authorizer) {
      Object.assign(headers, await this.options.authorizer.headers());
    }
    let body = request.body;
    if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    }
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const url =
      request.absoluteUrl === undefined
        ? this.url(request.path, request.query)
        : withQuery(new URL(request.absoluteUrl), request.query);
    const init: RequestInit & { duplex?: "half" } = {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    };
    // Node's fetch refuses a streamed body unless told it may send while the answer is not yet read.
    if (body instanceof ReadableStream) init.duplex = "half";
    try {
      return await this.fetch(url, init);
    } catch (error) {
      const code = networkErrorCode(error);
      const reason =
        code === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `connection failed (${code})`;
      throw this.lostAnswer(
        request,
        reason,
        { ...this.context(request), cause: error },
        NEVER_SENT.has(code),
      );
    }
  }

  private async read(request: AnyRequest, response: Response): Promise<unknown> {
    const context: ProviderErrorContext = {
      ...this.context(request),
      status: response.status,
      requestId: response.headers.get("x-request-id") ?? undefined,
    };
    if (!response.ok)
      throw this.errorFor(request, response, await this.text(request, response, context), context);
    const schema = request.schema;
    if (schema === undefined) {
      // Nothing in it is read, so nothing in it can break the call: a storage service's XML, or nothing.
      await response.body?.cancel();
      return undefined;
    }
    const text = await this.text(request, response, context);
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch (error) {
      throw this.unreadable(request, `answer is not JSON (HTTP ${response.status})`, {
        ...context,
        cause: error,
      });
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const where = result.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
        .join("; ");
      throw this.unreadable(request, `answer does not match the documented contract (${where})`, {
        ...context,
        cause: result.error,
      });
    }
    return result.data;
  }

  private async text(
    request: AnyRequest,
    response: Response,
    context: ProviderErrorContext,
  ): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw this.lostAnswer(
        request,
        "connection lost while reading the answer",
        { ...context, cause: error },
        false,
      );
    }
  }

  /**
   * A success whose body cannot be read (not JSON, cut short, outside the contract). A proxy or a provider's
   * bad moment does this as often as a 5xx, so a request that is safe to repeat is retried like one; any
   * other request was acted on (the status says so) without our learning what it made.
   */
  private unreadable(request: AnyRequest, reason: string, context: ProviderErrorContext): Error {
    return this.lostAnswer(request, reason, context, false);
  }

  /** No answer: retryable when repeating is harmless, otherwise the outcome is unknown and said so. */
  private lostAnswer(
    request: AnyRequest,
    reason: string,
    context: ProviderErrorContext,
    neverSent: boolean,
  ): Error {
    const prefix = `${this.options.provider} ${request.operation}`;
    const safeToRepeat = neverSent || request.method === "GET" || request.idempotent === true;
    if (safeToRepeat) return new ProviderUnavailableError(`${prefix}: ${reason}`, context);
    return new ProviderOutcomeUnknownError(
      `${prefix}: ${reason}; the provider may have acted on it, so it is not sent again blindly`,
      context,
    );
  }

  private errorFor(
    request: AnyRequest,
    response: Response,
    text: string,
    context: ProviderErrorContext,
  ): Error {
    const status = response.status;
    // Hidden before anything is cut short, so no part of a secret can survive at the cut.
    const answer = redactText(text, this.options.secrets?.() ?? []);
    const described = (request.describeError ?? this.options.describeError)(status, safeJson(answer));
    const said = described?.message ?? (answer.slice(0, 200) || response.statusText);
    const prefix = `${this.options.provider} ${request.operation}`;
    if (status === 429) {
      const seconds = parseRetryAfter(
        response.headers.get(this.options.retryAfterHeader ?? "retry-after") ??
          response.headers.get("retry-after"),
      );
      return new RateLimitedError(
        `${prefix}: rate limited, retry after ${seconds} s (${said})`,
        seconds,
        context,
      );
    }
    if (status === 401 || status === 403) {
      return new ProviderAuthError(`${prefix}: credentials refused (HTTP ${status}: ${said})`, context);
    }
    if (status === 408 || status >= 500) {
      return new ProviderUnavailableError(`${prefix}: provider failed (HTTP ${status}: ${said})`, context);
    }
    const field = described?.field;
    return new ProviderRejectedError(
      `${prefix}: rejected (HTTP ${status}: ${said}${field ? `; field: ${field}` : ""})`,
      field,
      context,
    );
  }

  private context(request: AnyRequest): ProviderErrorContext {
    return { provider: this.options.provider, operation: request.operation };
  }
}

function withQuery(url: URL, query: RequestParts["query"]): string {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Reads a Retry-After value: whole seconds or an HTTP date, clamped to something sane. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number {
  if (value === null || value.trim() === "") return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = Number(value);
  const parsed = Number.isFinite(seconds) ? seconds : (Date.parse(value) - now) / 1000;
  if (!Number.isFinite(parsed)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(parsed)));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Failures that happen before a request leaves this machine: repeating it can't do anything twice. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

function networkErrorCode(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "TimeoutError";
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}
