/**
 * Errors raised by provider clients. Each class has a stable `name`: Step Functions matches Retry and
 * Catch rules on it, so renaming one is a breaking change to `statemachines/pipeline.asl.json`.
 *
 * No error ever carries a credential: messages are built from the provider's answer and our own words,
 * never from request headers, and `ProviderHttpClient` replaces a client's `secrets` with `[redacted]` in
 * every error it throws, in case a provider echoes them back (`redactSecrets` does it for errors a client
 * builds itself).
 */

/**
 * Names of the errors the state machine retries with backoff. A 429 (RateLimitedError) is retryable too,
 * but it has its own path that waits as long as the provider asked instead of a fixed backoff.
 */
export const RETRYABLE_ERROR_NAMES = ["ProviderUnavailableError"] as const;

/** Everything a provider error knows about where it came from. */
export interface ProviderErrorContext {
  provider: string;
  operation: string;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** The provider's own request id, when it sent one: what their support desk asks for. */
  requestId?: string;
  cause?: unknown;
}

/** Base of every error a provider client throws. */
export abstract class ProviderError extends Error {
  abstract override readonly name: string;
  readonly provider: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, context: ProviderErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.provider = context.provider;
    this.operation = context.operation;
    this.status = context.status;
    this.requestId = context.requestId;
  }

  /** Whether retrying the same request later can succeed. */
  abstract readonly retryable: boolean;

  /** A plain, credential-free description for logs, results and Step Functions causes. */
  toDetail(): ProviderErrorDetail {
    return {
      error: this.name,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
    };
  }
}

/** The serialisable form of a provider error. */
export interface ProviderErrorDetail {
  error: string;
  message: string;
  provider: string;
  operation: string;
  status?: number;
  requestId?: string;
  field?: string;
  retryAfterSeconds?: number;
}

/** The provider asked us to slow down (HTTP 429); `retryAfterSeconds` is its own advice. */
export class RateLimitedError extends ProviderError {
  override readonly name = "RateLimitedError";
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, context: ProviderErrorContext) {
    super(message, context);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  readonly retryable = true;

  override toDetail(): ProviderErrorDetail {
    return { ...super.toDetail(), retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** The provider could not be reached or failed on its side (5xx, reset connection, timeout). */
export class ProviderUnavailableError extends ProviderError {
  override readonly name = "ProviderUnavailableError";
  readonly retryable = true;
}

/** The provider refused our credentials, even after one fresh authentication. */
export class ProviderAuthError extends ProviderError {
  override readonly name = "ProviderAuthError";
  readonly retryable = false;
}

/**
 * A request that changes something (a create, a render) was sent but no answer came back: the provider may
 * or may not have acted on it. Not retried blindly, because a second create can mean a second billed render;
 * a step that can look its earlier work up first turns this into a retryable error itself.
 */
export class ProviderOutcomeUnknownError extends ProviderError {
  override readonly name = "ProviderOutcomeUnknownError";
  readonly retryable = false;
}

/** The provider rejected the request (4xx): its own message, and the field it named when it named one. */
export class ProviderRejectedError extends ProviderError {
  override readonly name = "ProviderRejectedError";
  readonly field: string | undefined;

  constructor(message: string, field: string | undefined, context: ProviderErrorContext) {
    super(message, context);
    this.field = field;
  }

  readonly retryable = false;

  override toDetail(): ProviderErrorDetail {
    return { ...super.toDetail(), ...(this.field === undefined ? {} : { field: this.field }) };
  }
}

/** The provider answered with a body that does not match its documented contract. */
export class ProviderProtocolError extends ProviderError {
  override readonly name = "ProviderProtocolError";
  readonly retryable = false;
}

/** The provider finished the work but reports that it failed (an encoding or render error). */
export class ProviderJobFailedError extends ProviderError {
  override readonly name = "ProviderJobFailedError";
  readonly retryable = false;
}
