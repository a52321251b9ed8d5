import { readJobResult } from "../results/jobResult";
import { attemptName, latestAttempt, MAX_ATTEMPTS } from "./attempts";
import { JobConflictError } from "./JobConflictError";
import { JobNotFoundError } from "./JobNotFoundError";
import type { JobsDependencies } from "./JobsDependencies";
import { type RedriveChoices, resumeAfterUnknownOutcome } from "./unknownCreateOutcome";

/** The attempt a redrive started, or the one already running from an earlier redrive call. */
export interface RedriveAttempt {
  jobId: string;
  attempt: number;
  executionId: string;
  created: boolean;
}

/**
 * Re-runs a failed job. When the failure's result carries a resume point, as its next attempt from the
 * failed stage with the progress before it. Without one (the execution timed out, was aborted, or could not
 * write its result), starting over could upload or publish twice, so the stopped execution itself is
 * redriven from where it stopped (Step Functions' RedriveExecution). Calling it again while a new attempt
 * runs answers that attempt; a first attempt still running or a job that succeeded is a conflict. A failed
 * stage that lost a create's answer is resumed only where the provider can look the create up, or when the
 * caller accepts a possible duplicate (PossibleDuplicateError otherwise).
 */
export async function redriveJob(
  jobId: string,
  dependencies: JobsDependencies,
  choices: RedriveChoices = {},
): Promise<RedriveAttempt> {
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
  if (!resume) {
    const { executionId } = await runs.redriveInPlace(execution.name);
    return { jobId, attempt, executionId, created: true };
  }
  const { resume: _previous, ...job } = execution.job;
  const next = attempt + 1;
  const from = resumeAfterUnknownOutcome(execution.job, result?.failure ?? {}, resume, choices);
  const started = await runs.start(attemptName(jobId, next), { ...job, resume: from });
  return { jobId, attempt: next, ...started };
}
