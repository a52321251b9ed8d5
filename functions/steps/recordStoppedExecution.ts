import { z } from "zod";
import { PROVIDERS } from "../pipeline/jobSpec";
import type { JobResult } from "../results/jobResult";
import { type RecordResultDependencies, recordResult } from "./recordResult";

/** What Step Functions says when an execution stops: the part of "Execution Status Change" we read. */
export interface StoppedExecution {
  executionArn: string;
  status: "TIMED_OUT" | "ABORTED";
  /** The execution's input as JSON; null when it was too large to include. */
  input: string | null;
}

/** What a record needs of the input: a large job's input names a sources file in place of its sources. */
const recordedJob = z.looseObject({ jobId: z.string().min(1), provider: z.enum(PROVIDERS) });

const ERRORS = {
  TIMED_OUT: ["ExecutionTimedOutError", "the execution ran past its timeout (6 hours) and was stopped"],
  ABORTED: ["ExecutionAbortedError", "the execution was stopped before it finished"],
} as const;

/**
 * A timed-out or aborted execution never reaches Record failed result, so the job would end without a
 * result or an event. This writes both from the status change, with the job read from the execution's
 * input. It carries no resume point: a redrive then continues the execution where it stopped.
 */
export async function recordStoppedExecution(
  stopped: StoppedExecution,
  dependencies: RecordResultDependencies,
): Promise<JobResult | undefined> {
  const job = recordedJob.safeParse(safeJson(stopped.input));
  if (!job.success) return undefined;
  const [error, message] = ERRORS[stopped.status];
  const record = {
    status: "failed",
    jobId: job.data.jobId,
    provider: job.data.provider,
    step: "execution",
    error,
    message,
  };
  return recordResult(
    job.data,
    stopped.executionArn,
    { status: "failed", cause: JSON.stringify(record), progress: {} },
    dependencies,
  );
}

function safeJson(text: string | null): unknown {
  try {
    return text === null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
