import type { Job } from "../pipeline/jobSpec";
import { RECORD_CAPS, redactRecord } from "../providers/core/redactRecord";

/** How a job failed, in words a person can act on: which provider, which step, which error, and why. */
export interface FailureRecord {
  status: "failed";
  jobId: string;
  provider: string;
  step: string;
  error: string;
  message: string;
  /** The provider operation that failed (`createClip`), and the provider's own id of the request. */
  operation?: string;
  requestId?: string;
  field?: string;
  httpStatus?: number;
  problems?: unknown[];
}

/** What the state machine caught: `{Error, Cause}` under the name of the stage that failed. */
export type CaughtFailures = Record<string, { Error?: string; Cause?: string }>;

/**
 * Turns the error the state machine caught into a failure record. The Cause of a Lambda error is JSON
 * `{errorType, errorMessage}`, and our steps put a JSON detail into errorMessage; errors raised by Step
 * Functions itself (a timeout, a poll limit) are plain text, so every layer is read defensively. The record
 * comes out redacted and capped: it becomes the execution's Cause, the result file and the event.
 */
export function recordFailure(job: Pick<Job, "jobId" | "provider">, failures: CaughtFailures): FailureRecord {
  const [stage, caught] = Object.entries(failures)[0] ?? ["unknown", {}];
  const lambdaError = asObject(parseJson(caught.Cause));
  const detail = asObject(parseJson(lambdaError?.errorMessage)) ?? {};
  const message =
    stringOr(detail.message) ??
    stringOr(lambdaError?.errorMessage) ??
    caught.Cause ??
    "no cause was recorded";
  const record: FailureRecord = {
    status: "failed",
    jobId: job.jobId,
    provider: job.provider,
    step: stage === "rateLimited" ? (stringOr(detail.stage) ?? stage) : stage,
    error: caught.Error ?? stringOr(detail.error) ?? "UnknownError",
    message,
  };
  const operation = stringOr(detail.operation);
  if (operation) record.operation = operation;
  const requestId = stringOr(detail.requestId);
  if (requestId) record.requestId = requestId;
  const field = stringOr(detail.field);
  if (field) record.field = field;
  if (typeof detail.status === "number") record.httpStatus = detail.status;
  if (Array.isArray(detail.problems)) record.problems = detail.problems;
  // Step Functions' own errors and a Lambda's crash text were never redacted by a step.
  return redactRecord(record, RECORD_CAPS);
}

/** A JSON text parsed, or undefined when it is not a string of valid JSON. */
export function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The value as a record when it is an object, else undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
