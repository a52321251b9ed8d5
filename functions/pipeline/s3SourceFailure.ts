import { ProviderUnavailableError } from "../providers/core/errors";
import { SOURCE_CHANGED, SourceChangedError } from "./s3ObjectSource";

/** Error names S3 and the SDK give passing faults: throttling, timeouts, a dropped connection. */
const TRANSIENT_NAMES = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalError",
  "ServiceUnavailable",
  "TimeoutError",
]);
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

interface S3ErrorShape {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * What a failed read of a job's S3 source means. A fault a retry can fix becomes ProviderUnavailableError
 * (the state machine retries it with backoff); a source that is missing, unreadable by the pipeline or
 * replaced since the job started is a `problem` with the source itself, terminal, for the caller to report
 * under the source's field. Anything else is not a fault of the source and is thrown as it is. `where`
 * names the object in the retryable error's message.
 */
export function s3SourceFailure(error: unknown, where: string): { problem: string } | { error: Error } {
  const shape = (error ?? {}) as S3ErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (error instanceof SourceChangedError || shape.name === "PreconditionFailed" || status === 412) {
    return { problem: SOURCE_CHANGED };
  }
  if (
    shape.name === "NotFound" ||
    shape.name === "NoSuchKey" ||
    shape.name === "NoSuchVersion" ||
    status === 404
  ) {
    return { problem: "no such S3 object" };
  }
  if (shape.name === "AccessDenied" || status === 403) {
    // Without s3:ListBucket, S3 answers a missing key with 403 rather than 404.
    return { problem: "the pipeline may not read this S3 object, or it does not exist (access denied)" };
  }
  if (isTransient(shape, status)) {
    return {
      error: new ProviderUnavailableError(
        `S3 could not be read just now (${where}): ${shape.name ?? "error"}`,
        {
          provider: "s3",
          operation: "readSource",
          ...(status === undefined ? {} : { status }),
          cause: error,
        },
      ),
    };
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return { problem: `S3 refused to read it (${shape.name ?? "error"}, HTTP ${status})` };
  }
  return { error: error instanceof Error ? error : new Error(String(error)) };
}

function isTransient(shape: S3ErrorShape, status: number | undefined): boolean {
  return (
    (status !== undefined && (status >= 500 || status === 429 || status === 408)) ||
    Boolean(shape.$retryable) ||
    TRANSIENT_NAMES.has(shape.name ?? "") ||
    TRANSIENT_CODES.has(shape.code ?? "")
  );
}
