import { JobConflictError } from "../functions/jobs/JobConflictError";
import type { ExecutionStatus, JobExecution, JobRuns } from "../functions/jobs/JobRuns";
import { sameJob } from "../functions/jobs/sameJob";
import type { Job } from "../functions/pipeline/jobSpec";
import type { LocalRunOptions, PipelineOutcome } from "./LocalPipeline";

/** What LocalJobRuns needs of the pipeline: LocalPipeline, or a stand-in a test controls. */
export interface RunsJobs {
  run(job: Job, options?: LocalRunOptions): Promise<PipelineOutcome>;
}

const LOCAL_EXECUTION_PREFIX = "arn:aws:states:us-east-1:000000000000:execution:vidstep-local:";

/**
 * JobRuns over the in-process pipeline, keeping every execution in memory the way Step Functions keeps
 * them: each runs in the background, with its status, the step it entered last, and its output or error
 * and cause (the failure record as JSON, like the pipeline's Fail state), so the local API answers as AWS.
 */
export class LocalJobRuns implements JobRuns {
  private readonly executions = new Map<string, JobExecution>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly pipeline: RunsJobs,
    private readonly options: LocalRunOptions = {},
  ) {}

  async start(name: string, job: Job): Promise<{ executionId: string; created: boolean }> {
    const existing = this.executions.get(name);
    if (existing) {
      if (!sameJob(existing.job, job)) {
        throw new JobConflictError(`execution ${name} exists with another input`, job.jobId);
      }
      return { executionId: existing.executionId, created: false };
    }
    // A copy, as Step Functions keeps the input it was given, not the caller's object.
    const execution: JobExecution = {
      name,
      executionId: `${LOCAL_EXECUTION_PREFIX}${name}`,
      status: "RUNNING",
      startedAt: new Date().toISOString(),
      job: structuredClone(job),
    };
    this.executions.set(name, execution);
    const run = this.execute(execution).finally(() => this.running.delete(run));
    this.running.add(run);
    return { executionId: execution.executionId, created: true };
  }

  /**
   * aws-local-stepfunctions cannot continue a stopped execution. Locally an execution only stops without a
   * failure record when the local S3 itself failed, so this says so rather than silently starting over.
   */
  async redriveInPlace(name: string): Promise<{ executionId: string }> {
    throw new JobConflictError(
      `execution ${name} stopped without a resume point, and the local runtime cannot redrive it in place: submit the job again`,
      name,
    );
  }

  async describe(name: string): Promise<JobExecution | undefined> {
    const execution = this.executions.get(name);
    return execution && structuredClone(execution);
  }

  /** The names of every execution started so far, in start order. */
  names(): string[] {
    return [...this.executions.keys()];
  }

  /** Resolves when no execution is running, including those started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async execute(execution: JobExecution): Promise<void> {
    const outcome = await this.pipeline
      .run(execution.job, {
        ...this.options,
        // The result file names its execution; a redrive compares that with the attempt it redrives.
        execution: { id: execution.executionId, name: execution.name },
        onProgress: (progress) => {
          if (progress.kind === "entered") execution.currentStep = progress.state;
          this.options.onProgress?.(progress);
        },
      })
      .catch((error: unknown): PipelineOutcome => {
        const name = error instanceof Error ? error.name : "Error";
        return { status: "failed", error: name, record: { error: name, message: String(error) } };
      });
    finish(execution, outcome.status === "succeeded" ? "SUCCEEDED" : "FAILED");
    if (outcome.status === "succeeded") execution.output = outcome.result;
    else {
      execution.error = outcome.error;
      execution.cause = JSON.stringify(outcome.record);
    }
  }
}

function finish(execution: JobExecution, status: ExecutionStatus) {
  execution.status = status;
  execution.stoppedAt = new Date().toISOString();
  delete execution.currentStep;
}
