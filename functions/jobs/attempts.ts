import { hashedName, isExecutionName } from "./executionName";
import type { JobExecution, JobRuns } from "./JobRuns";

/** Redrives a job may have; each one is a describe call when the latest attempt is looked up. */
export const MAX_ATTEMPTS = 20;

/** A job's execution and which attempt it is (1 for the first). */
export interface JobAttempt {
  attempt: number;
  execution: JobExecution;
}

/**
 * The execution name of a job's `attempt`: the job id itself for the first, `<jobId>-redrive-<n>` after,
 * hashed into 80 characters when the job id is long. A job id that itself ends in `-redrive-<n>` would
 * collide with another job's attempt, so do not choose one.
 */
export function attemptName(jobId: string, attempt: number): string {
  if (attempt === 1) return jobId;
  const name = `${jobId}-redrive-${attempt}`;
  return isExecutionName(name) ? name : hashedName(`r${attempt}-${jobId}`, [jobId, String(attempt)]);
}

/** The job's latest attempt: attempts are described in order until one does not exist. */
export async function latestAttempt(runs: JobRuns, jobId: string): Promise<JobAttempt | undefined> {
  let latest: JobAttempt | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const execution = await runs.describe(attemptName(jobId, attempt));
    if (!execution) break;
    latest = { attempt, execution };
  }
  return latest;
}
