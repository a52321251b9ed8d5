import { readJobResult } from "../results/jobResult";
import { attemptName, latestAttempt, MAX_ATTEMPTS } from "./attempts";
import { JobConflictError } from "./JobConflictError";
import { JobNotFoundError } from "./JobNotFoundError";
import type { JobsDependencies } from "./JobsDependencies";

/** The attempt a redrive started, or the one already running from an earlier redrive call. */
export interface RedriveAttempt {
  jobId: string;
  attempt: number;
  executionId: string;
  created: boolean;
}

/**
 * Re-runs a failed job as its next attempt: from the failed stage with the progress before it when the
 * failure's result carries a resume point, else from the start. Calling it again while that attempt runs
 * answers the same attempt; a first attempt still running or a job that succeeded is a conflict.
 */
export async function redriveJob(jobId: string, dependencies: JobsDependencies): Promise<RedriveAttempt> {
  const { runs, s3, bucket } = dependencies;
  const latest = await latestAttempt(runs, jobId);
  if (!latest) throw new JobNotFoundError(jobId);
  const { attempt, execution } = latest;
  if (execution.status === "RUNNING" && attempt > 1) {
    return { jobId, attempt, executionId: execution.executionId, created: false };
  }
  if (execution.status === "RUNNING" || execution.status === "SUCCEEDED") {
    throw new JobConflictError(
      `job ${jobId} is ${execution.status.toLowerCase()}: only a failed job can be redriven`,
      jobId,
    );
  }
  if (attempt >= MAX_ATTEMPTS) {
    throw new JobConflictError(
      `job ${jobId} was tried ${attempt} times: submit it again as a new job`,
      jobId,
    );
  }
  const result = await readJobResult(s3, bucket, jobId);
  const resume =
    result?.status === "failed" && (result.executionId ?? execution.executionId) === execution.executionId
      ? result.resume
      : undefined;
  const { resume: _previous, ...job } = execution.job;
  const next = attempt + 1;
  const started = await runs.start(attemptName(jobId, next), resume ? { ...job, resume } : job);
  return { jobId, attempt: next, ...started };
}
