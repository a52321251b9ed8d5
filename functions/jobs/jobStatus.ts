import { redactRecord } from "../providers/core/redactRecord";
import { readJobResult } from "../results/jobResult";
import { type JobAttempt, latestAttempt } from "./attempts";
import { JobNotFoundError } from "./JobNotFoundError";
import type { JobsDependencies } from "./JobsDependencies";

/** A job as `GET /jobs/{id}` shows it. */
export interface JobView {
  jobId: string;
  status: "running" | "succeeded" | "failed" | "timed_out" | "aborted";
  attempt: number;
  currentStep?: string;
  startedAt: string;
  stoppedAt?: string;
  /** The Publish stage's answer, for a success. */
  result?: unknown;
  /** The failure record (provider, step, error, message...), for a failure. */
  failure?: Record<string, unknown>;
}

/**
 * How a job stands: its latest attempt's status and step, and once it ended its result or failure, read
 * from `results/<jobId>.json` when that attempt wrote it, else from the execution's output or error.
 */
export async function jobStatus(jobId: string, dependencies: JobsDependencies): Promise<JobView> {
  const latest = await latestAttempt(dependencies.runs, jobId);
  if (!latest) throw new JobNotFoundError(jobId);
  return viewOf(jobId, latest, dependencies);
}

/**
 * The view of one attempt of a job, redacted: an execution's own output or Cause (read when no result
 * file was written) never passed through the redaction step.
 */
export async function viewOf(
  jobId: string,
  attempt: JobAttempt,
  dependencies: JobsDependencies,
): Promise<JobView> {
  return redactRecord(await unredactedViewOf(jobId, attempt, dependencies));
}

async function unredactedViewOf(
  jobId: string,
  { attempt, execution }: JobAttempt,
  { s3, bucket }: JobsDependencies,
): Promise<JobView> {
  const view: JobView = {
    jobId,
    status: execution.status.toLowerCase() as JobView["status"],
    attempt,
    startedAt: execution.startedAt,
  };
  if (execution.status === "RUNNING") {
    if (execution.currentStep) view.currentStep = execution.currentStep;
    return view;
  }
  if (execution.stoppedAt) view.stoppedAt = execution.stoppedAt;
  const written = await readJobResult(s3, bucket, jobId);
  // An earlier attempt's file is stale once a later attempt ran.
  const result =
    written && (written.executionId === undefined || written.executionId === execution.executionId)
      ? written
      : undefined;
  if (execution.status === "SUCCEEDED") {
    view.result = result?.status === "succeeded" ? result.result : execution.output;
  } else {
    view.failure =
      result?.status === "failed" && result.failure
        ? result.failure
        : failureOf(execution.error, execution.cause);
  }
  return view;
}

/** The failure record the pipeline's Fail state carries as its cause, or the bare error and cause. */
function failureOf(error: string | undefined, cause: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(cause ?? "");
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      // A raw Lambda error ({errorType, errorMessage, trace}) would show callers our stack trace.
      if ("errorType" in record || "trace" in record) {
        return { error: record.errorType ?? error ?? "Unknown", message: record.errorMessage ?? "" };
      }
      return record;
    }
  } catch {
    // Not a failure record: a timeout or an abort says what happened in plain text.
  }
  return { error: error ?? "Unknown", message: cause ?? "the execution gave no cause" };
}
