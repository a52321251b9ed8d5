import type { S3Client } from "@aws-sdk/client-s3";
import type { Job, ResumePoint } from "../pipeline/jobSpec";
import { inlineResultFiles } from "../pipeline/resultFiles";
import { STAGES, STARTED_BY, type Stage } from "../pipeline/stages";
import type { JobEvents } from "../results/JobEvents";
import { type JobResult, writeJobResult } from "../results/jobResult";

/** How a job ended, as the state machine hands it over. */
export type JobOutcome =
  | { status: "succeeded"; result: unknown }
  | {
      status: "failed";
      /** The failure record as JSON: the Cause the execution fails with. */
      cause: string;
      /** What the stages before the failure produced, for a redrive to resume from. */
      progress: Record<string, unknown>;
    };

/** Where results go and who hears about them. */
export interface RecordResultDependencies {
  s3: S3Client;
  bucket: string;
  events: JobEvents;
}

/**
 * Writes `results/<jobId>.json` and then announces the job. Writing first means a listener that reads the
 * result on the event always finds it; a retry after a failed publish rewrites the same file, harmlessly.
 */
export async function recordResult(
  job: Pick<Job, "jobId" | "provider">,
  executionId: string,
  outcome: JobOutcome,
  dependencies: RecordResultDependencies,
  now: Date = new Date(),
): Promise<JobResult> {
  const base = { jobId: job.jobId, provider: job.provider, executionId, finishedAt: now.toISOString() };
  let result: JobResult;
  if (outcome.status === "succeeded") {
    // The state may carry a large result's list as a job file; the result file holds it whole.
    result = {
      ...base,
      status: "succeeded",
      result: await inlineResultFiles(outcome.result, dependencies.s3),
    };
  } else {
    const failure = parseRecord(outcome.cause);
    const resume = resumePointOf(failure, outcome.progress);
    result = { ...base, status: "failed", failure, ...(resume ? { resume } : {}) };
  }
  await writeJobResult(dependencies.s3, dependencies.bucket, result);
  await dependencies.events.publish(result);
  return result;
}

function parseRecord(cause: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed !== null && typeof parsed === "object") return parsed as Record<string, unknown>;
  } catch {
    // A cause that is not our record is still worth keeping, as the message.
  }
  return { message: cause };
}

/**
 * A redrive resumes at the failed stage with the progress so far (an interrupted upload continues from its
 * last slice). When the provider reported its job failed, polling it again would only read the same failure,
 * so the redrive starts that job again: it resumes at the stage that started it, without that job's progress.
 * Failures outside a stage (a malformed job) start over.
 */
function resumePointOf(
  failure: Record<string, unknown>,
  progress: Record<string, unknown>,
): ResumePoint | undefined {
  const step = failure.step;
  if (typeof step !== "string" || !(STAGES as readonly string[]).includes(step)) return undefined;
  const stage = step as Stage;
  const starter = STARTED_BY[stage];
  if (failure.error === "ProviderJobFailedError" && starter) {
    const { [starter]: _started, [stage]: _waited, ...before } = progress;
    return { stage: starter, progress: before };
  }
  return { stage, progress };
}
