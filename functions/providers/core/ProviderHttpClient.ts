import type { z } from "zod";
import {
  ProviderAuthError,
  type ProviderErrorContext,
  ProviderOutcomeUnknownError,
  ProviderProtocolError,
  ProviderRejectedError,
  ProviderUnavailableError,
  RateLimitedError,
} from "./errors";

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

export interface ProviderHttpClientOptions {
  provider: string;
  baseUrl: string;
  authorizer?: Authorizer;
  /** Reads the provider's error format; `undefined` when the body says nothing useful. */
  describeError: (status: number, body: unknown) => DescribedError | undefined;
  /** The header carrying the provider's back-off advice on a 429. */
  retryAfterHeader?: string;
  timeoutMs?: number;
  fetch?: Fetch;
}

export interface ProviderRequest<T> {
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  body?: RequestInit["body"];
  schema: z.ZodType<T>;
  timeoutMs?: number;
  /** Set for requests that carry their own credentials (a token exchange), so a 401 is not retried. */
  anonymous?: boolean;
  /**
   * Set when sending the request twice does no harm (a token exchange, re-sending an upload range).
   * GETs always are; any other request that loses its answer fails with ProviderOutcomeUnknownError.
   */
  idempotent?: boolean;
}

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

  /** Sends one request and returns its body parsed against `schema`; throws a named provider error. */
  async request<T>(request: ProviderRequest<T>): Promise<T> {
    const first = await this.send(request);
    if (first.status === 401 && !request.anonymous && this.options.authorizer?.refresh) {
      // A token can expire between our expiry check and the provider's: one fresh token, then give up.
      await first.body?.cancel();
      await this.options.authorizer.refresh();
      return this.read(request, await this.send(request));
    }
    return this.read(request, first);
  }

  /** Builds the absolute URL of a path, for callers that hand URLs to others (webhooks, players). */
  url(path: string, query?: ProviderRequest<unknown>["query"]): string {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, "") + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async send(request: ProviderRequest<unknown>): Promise<Response> {
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
    try {
      return await this.fetch(this.url(request.path, request.query), {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
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

  private async read<T>(request: ProviderRequest<T>, response: Response): Promise<T> {
    const context: ProviderErrorContext = {
      ...this.context(request),
      status: response.status,
      requestId: response.headers.get("x-request-id") ?? undefined,
    };
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.lostAnswer(
        request,
        "connection lost while reading the answer",
        { ...context, cause: error },
        false,
      );
    }
    if (!response.ok) throw this.errorFor(request, response, text, context);
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch (error) {
      throw new ProviderProtocolError(
        `${this.options.provider} ${request.operation}: answer is not JSON (HTTP ${response.status})`,
        { ...context, cause: error },
      );
    }
    const result = request.schema.safeParse(parsed);
    if (!result.success) {
      const where = result.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
        .join("; ");
      throw new ProviderProtocolError(
        `${this.options.provider} ${request.operation}: answer does not match the documented contract (${where})`,
        { ...context, cause: result.error },
      );
    }
    return result.data;
  }

  /** No answer: retryable when repeating is harmless, otherwise the outcome is unknown and said so. */
  private lostAnswer(
    request: ProviderRequest<unknown>,
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
    request: ProviderRequest<unknown>,
    response: Response,
    text: string,
    context: ProviderErrorContext,
  ): Error {
    const status = response.status;
    const described = this.options.describeError(status, safeJson(text));
    const said = described?.message ?? (text.slice(0, 200) || response.statusText);
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

  private context(request: ProviderRequest<unknown>): ProviderErrorContext {
    return { provider: this.options.provider, operation: request.operation };
  }
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
