import type { Job } from "../pipeline/jobSpec";

/** How an execution of the pipeline stands, as Step Functions names it (a pending redrive counts as running). */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** One execution of the pipeline: the job it carries and how far it got. */
export interface JobExecution {
  name: string;
  executionId: string;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  job: Job;
  /** The Task or Wait state last entered, while the execution runs. */
  currentStep?: string;
  error?: string;
  cause?: string;
  output?: unknown;
}

/**
 * Where jobs run: Step Functions on AWS, the in-process pipeline locally. The HTTP API and the S3 upload
 * trigger only talk to this, so both behave the same in either place.
 */
export interface JobRuns {
  /**
   * Starts an execution of the pipeline named `name`; an existing execution of that name with the same
   * input is returned with created=false; same name with another input → JobConflictError.
   */
  start(name: string, job: Job): Promise<{ executionId: string; created: boolean }>;
  /** The execution named `name`, or undefined when there is none. */
  describe(name: string): Promise<JobExecution | undefined>;
  /**
   * Continues an execution that stopped (failed, timed out, aborted) from the state where it stopped,
   * keeping what its earlier states did: Step Functions' RedriveExecution. Refused (JobConflictError)
   * where that is not possible.
   */
  redriveInPlace(name: string): Promise<{ executionId: string }>;
}
