import { ProviderError } from "../../providers/core/errors";
import { InvalidInputError } from "../../providers/core/InvalidInputError";
import { RECORD_CAPS, redactRecord } from "../../providers/core/redactRecord";

/**
 * The contract between a failing step and the state machine: the error keeps its `name` (Retry and Catch
 * match on it) and its message becomes a JSON object the definition can read, e.g. `retryAfterSeconds`
 * and `stage` for the rate-limit path. Nothing in it comes from request headers, so no credential leaks.
 */
export interface StepFailureDetail {
  error: string;
  message: string;
  stage: string;
  provider?: string;
  operation?: string;
  status?: number;
  field?: string;
  retryAfterSeconds?: number;
  problems?: { field: string; problem: string; value?: unknown }[];
}

/** Rewrites any error thrown by a step into the error Step Functions sees. */
export function toStepFailure(error: unknown, stage: string): Error {
  const detail = describeFailure(error, stage);
  const failure = new Error(JSON.stringify(detail));
  failure.name = detail.error;
  return failure;
}

/**
 * The credential-free description of an error thrown by a step: redacted and capped here, the one way a
 * step's error reaches the execution's history, its failure record and its log line.
 */
export function describeFailure(error: unknown, stage: string): StepFailureDetail {
  return redactRecord(detailOf(error, stage), RECORD_CAPS);
}

function detailOf(error: unknown, stage: string): StepFailureDetail {
  if (error instanceof ProviderError) return { ...error.toDetail(), stage };
  if (error instanceof InvalidInputError) {
    return { error: error.name, message: error.message, stage, field: error.field, problems: error.problems };
  }
  if (error instanceof Error) return { error: error.name || "Error", message: error.message, stage };
  return { error: "Error", message: String(error), stage };
}
