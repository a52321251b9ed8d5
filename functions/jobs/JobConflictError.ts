/**
 * A job id (or an idempotency key, or an upload's execution name) already names a job with other input,
 * or a job cannot be redriven in its state. The caller asked for something that contradicts what exists.
 */
export class JobConflictError extends Error {
  override readonly name = "JobConflictError";

  constructor(
    message: string,
    readonly jobId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
