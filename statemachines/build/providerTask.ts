import type { Stage } from "../../functions/pipeline/stages";
import type { Catcher, TaskState } from "./asl";
import { PROVIDER_TASK_RETRY } from "./retryPolicy";
import { failurePath, planPath, RATE_LIMIT_ENTRY, RECORD_FAILURE } from "./stateNames";

/** A provider call gets 15 minutes, Lambda's own limit; long work is cut into slices below that. */
const TASK_TIMEOUT_SECONDS = 900;

export interface ProviderTaskOptions {
  stage: Stage;
  comment: string;
  next: string;
  /** Payload fields between `progress` and `executionId` (the poll count, the task token). */
  payload?: Record<string, string>;
  /** Defaults to the plan's function for the stage. */
  functionPath?: string;
  /** Defaults to a plain invoke; a webhook wait waits for its task token. */
  resource?: string;
  /** Where the answer is in the integration's output: a plain invoke wraps it in `Payload`. */
  answerPath?: string;
  heartbeatSeconds?: number;
  timeoutSeconds?: number;
  /** Caught between the 429 path and the failure record. */
  catchers?: Catcher[];
}

/**
 * A Task that calls the provider plan's function for a stage with `{stage, job, progress, executionId}`
 * and keeps its answer at `$.progress.<stage>.value`: the one shape of every provider call, so every one
 * gets the same Retry, the same 429 path and the same failure record.
 */
export function providerTask(options: ProviderTaskOptions): TaskState {
  const { stage } = options;
  return {
    Type: "Task",
    Comment: options.comment,
    Resource: options.resource ?? "arn:aws:states:::lambda:invoke",
    Parameters: {
      "FunctionName.$": options.functionPath ?? planPath(stage),
      Payload: {
        stage,
        "job.$": "$.job",
        "progress.$": "$.progress",
        ...options.payload,
        "executionId.$": "$$.Execution.Id",
      },
    },
    ResultSelector: { "value.$": options.answerPath ?? "$.Payload" },
    ResultPath: `$.progress.${stage}`,
    ...(options.heartbeatSeconds === undefined ? {} : { HeartbeatSeconds: options.heartbeatSeconds }),
    TimeoutSeconds: options.timeoutSeconds ?? TASK_TIMEOUT_SECONDS,
    Retry: PROVIDER_TASK_RETRY,
    Catch: [
      { ErrorEquals: ["RateLimitedError"], ResultPath: "$.rateLimited", Next: RATE_LIMIT_ENTRY },
      ...(options.catchers ?? []),
      { ErrorEquals: ["States.ALL"], ResultPath: failurePath(stage), Next: RECORD_FAILURE },
    ],
    Next: options.next,
  };
}
