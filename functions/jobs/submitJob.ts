import { randomUUID } from "node:crypto";
import { type Job, type JobSource, parseJobSpec } from "../pipeline/jobSpec";
import { type FieldProblem, InvalidInputError } from "../providers/core/InvalidInputError";
import { hashedName } from "./executionName";
import { JobConflictError } from "./JobConflictError";
import type { JobsDependencies } from "./JobsDependencies";

/** A `POST /jobs` request, as the handler read it from the HTTP event. */
export interface JobSubmission {
  /** The parsed JSON body: a job spec. */
  spec: unknown;
  /** The `Idempotency-Key` header, when given. */
  idempotencyKey?: string;
  /** Who signed the request (the IAM caller): keys are per caller, so two callers never share a job. */
  caller: string;
}

/** What a submission led to: the job, and whether this request started it. */
export interface SubmittedJob {
  job: Job;
  created: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * Validates a job spec and starts its job. The job id is the spec's, else derived from the caller and the
 * idempotency key (so a repeated request finds the same job), else random. The same id with another spec
 * is a JobConflictError; every bad field, the key and foreign buckets included, is one InvalidInputError.
 */
export async function submitJob(
  submission: JobSubmission,
  { runs, bucket }: Pick<JobsDependencies, "runs" | "bucket">,
): Promise<SubmittedJob> {
  const { idempotencyKey: key, caller } = submission;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInputError("request", [
      { field: "Idempotency-Key", problem: "must be 1-128 printable characters without spaces", value: key },
    ]);
  }
  const makeJobId = () => (key === undefined ? randomUUID() : hashedName("req", [caller, key]));
  const job = parseJobSpec(submission.spec, makeJobId);
  const foreign = foreignBuckets(submission.spec, job.sources, bucket);
  if (foreign.length > 0) throw new InvalidInputError("job spec", foreign);
  try {
    const { created } = await runs.start(job.jobId, job);
    return { job, created };
  } catch (error) {
    if (!(error instanceof JobConflictError)) throw error;
    const reused = key === undefined ? `job id ${job.jobId}` : `Idempotency-Key ${key}`;
    throw new JobConflictError(`${reused} already names a job with another spec`, job.jobId, {
      cause: error,
    });
  }
}

/** S3 sources outside the pipeline's bucket, named as the spec wrote them: its functions read only that one. */
function foreignBuckets(spec: unknown, sources: JobSource[], bucket: string): FieldProblem[] {
  const single = (spec as { source?: unknown }).source !== undefined;
  return sources.flatMap((source, index) =>
    source.bucket === undefined || source.bucket === bucket
      ? []
      : [
          {
            field: single ? "source.bucket" : `sources.${index}.bucket`,
            problem: `must be the pipeline's bucket ${bucket} (the only one it may read)`,
            value: source.bucket,
          },
        ],
  );
}
