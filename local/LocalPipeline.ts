import "./polyfills";
import { ExecutionError, StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { arnPlaceholder, PIPELINE_FUNCTIONS, type PipelineFunctionId } from "../functions/catalog";
import { type ExecutionInput, toExecutionInput } from "../functions/pipeline/executionInput";
import type { JobFiles } from "../functions/pipeline/jobFiles";
import type { Job } from "../functions/pipeline/jobSpec";
import { loadPipelineDefinition, WEBHOOKS_ENABLED_PLACEHOLDER } from "../statemachines/pipelineDefinition";
import { invokeLocalLambda } from "./invokeLocalLambda";
import type { LocalTaskTokens } from "./LocalTaskTokens";
import type { LocalFunction } from "./localFunctions";

/** One event of a local execution (the library does not export the type): states carry input and output. */
export type EventLog =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** How a local run ended: the job's result, or the failure record the state machine wrote. */
export type PipelineOutcome =
  | { status: "succeeded"; result: Record<string, unknown> }
  | { status: "failed"; error: string; record: Record<string, unknown> };

/** One line of progress: a state entered, a retry, a caught error. */
export interface PipelineProgress {
  kind: "entered" | "retried" | "caught" | "succeeded" | "failed";
  state: string;
  detail?: string;
}

export interface LocalRunOptions {
  /** Milliseconds the poll loops wait between polls (the definition's own waits are minutes). */
  pollWaitMs?: number;
  /** Milliseconds before each retry; undefined keeps the definition's backoff with jitter. */
  retryWaitMs?: number;
  /** Milliseconds to wait on a 429; undefined honours the provider's Retry-After. */
  rateLimitWaitMs?: number;
  onProgress?: (progress: PipelineProgress) => void;
  /** Every event of the execution as aws-local-stepfunctions emits it, with each state's input and output. */
  onEvent?: (event: EventLog) => void;
  /** The execution's id and name as `$$.Execution` shows them (default `local:<jobId>` and the job id). */
  execution?: { id: string; name: string };
  /** Milliseconds a webhook wait may stay silent before polling takes over; default its HeartbeatSeconds. */
  callbackHeartbeatMs?: number;
  /** Milliseconds a webhook wait may last in all; default its TimeoutSeconds. */
  callbackTimeoutMs?: number;
}

/** How the local pipeline is set up beyond its functions. */
export interface LocalPipelineOptions {
  /** With task tokens the webhook waits are on (`WebhooksEnabled` is "true"); without, every wait polls. */
  taskTokens?: LocalTaskTokens;
  /** Where a large job's sources go, as StartExecution's caller puts them on AWS; without, jobs go inline. */
  jobFiles?: JobFiles;
}

/**
 * What `$$.Task.Token` reads locally. aws-local-stepfunctions evaluates `$$` paths against the context
 * object it was given, which holds no task token, so the run's context carries this placeholder and the
 * local handler of a `.waitForTaskToken` state puts a fresh token of its own in the payload's place.
 */
const LOCAL_TASK_TOKEN_PLACEHOLDER = "local-task-token";

interface TaskStateDefinition {
  Type: string;
  Resource?: string;
  HeartbeatSeconds?: number;
  TimeoutSeconds?: number;
}

const LOCAL_ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:vidstep-";

/**
 * Runs `statemachines/pipeline.asl.json` in-process with aws-local-stepfunctions. The executor does not
 * know `arn:aws:states:::lambda:invoke`, so every Task state is routed to the function named in its
 * FunctionName parameter, called the way Lambda would call it. The executor does not pause on a task
 * token either: a `.waitForTaskToken` state calls its function with a local token and then waits on
 * `LocalTaskTokens` until a webhook completes it or its heartbeat or timeout runs out.
 */
export class LocalPipeline {
  private readonly definition: StateMachineDefinition;
  /**
   * Built once: constructing one runs asl-validator over the whole definition (about 0.1 s), and each
   * `run` starts an independent execution, so a second build per job would only repeat that check.
   */
  private readonly machine: StateMachine;
  private readonly byArn: Map<string, { id: PipelineFunctionId; fn: LocalFunction }>;

  private readonly taskTokens: LocalTaskTokens | undefined;
  private readonly jobFiles: JobFiles | undefined;

  constructor(functions: Record<PipelineFunctionId, LocalFunction>, options: LocalPipelineOptions = {}) {
    this.taskTokens = options.taskTokens;
    this.jobFiles = options.jobFiles;
    const substitutions: Record<string, string> = {
      [WEBHOOKS_ENABLED_PLACEHOLDER]: options.taskTokens ? "true" : "false",
    };
    this.byArn = new Map();
    for (const { id } of PIPELINE_FUNCTIONS) {
      const arn = `${LOCAL_ARN_PREFIX}${id}`;
      substitutions[arnPlaceholder(id)] = arn;
      this.byArn.set(arn, { id, fn: functions[id] });
    }
    this.definition = loadPipelineDefinition(substitutions) as unknown as StateMachineDefinition;
    this.machine = new StateMachine(this.definition, { validationOptions: { checkArn: false } });
  }

  /** Runs one job to its end and reports how it ended; progress goes to `onProgress` as it happens. */
  async run(job: Job | ExecutionInput, options: LocalRunOptions = {}): Promise<PipelineOutcome> {
    const states = this.definition.States;
    const taskStates = Object.keys(states).filter((name) => states[name]?.Type === "Task");
    const waitStates = Object.keys(states).filter((name) => states[name]?.Type === "Wait");
    const waitTimeOverrides: Record<string, number> = {};
    for (const name of waitStates) {
      if (name === "Wait Retry-After") {
        if (options.rateLimitWaitMs !== undefined) waitTimeOverrides[name] = options.rateLimitWaitMs;
      } else {
        waitTimeOverrides[name] = options.pollWaitMs ?? 250;
      }
    }
    const input = this.jobFiles ? await toExecutionInput(job, this.jobFiles) : job;
    const execution = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          taskStates.map((name) => {
            const state = states[name] as TaskStateDefinition;
            const handler = state.Resource?.endsWith(".waitForTaskToken")
              ? (input: unknown) => this.awaitCallback(state, input, options)
              : (input: unknown) => this.invoke(input);
            return [name, handler as never];
          }),
        ),
        waitTimeOverrides,
        ...(options.retryWaitMs === undefined
          ? {}
          : {
              retryIntervalOverrides: Object.fromEntries(
                taskStates.map((name) => [name, options.retryWaitMs as number]),
              ),
            }),
      },
      context: {
        Execution: {
          Id: options.execution?.id ?? `local:${job.jobId}`,
          Name: options.execution?.name ?? job.jobId,
          Input: input as never,
        },
        Task: { Token: LOCAL_TASK_TOKEN_PLACEHOLDER },
      },
    });
    const reporting =
      options.onProgress || options.onEvent
        ? report(execution.eventLogs, options.onProgress ?? (() => undefined), options.onEvent)
        : Promise.resolve();
    try {
      const result = (await execution.result) as Record<string, unknown>;
      await reporting;
      return { status: "succeeded", result };
    } catch (error) {
      await reporting;
      if (!(error instanceof ExecutionError)) throw error;
      const failed = error.cause as Error;
      return { status: "failed", error: failed.name, record: readRecord(failed.message) };
    }
  }

  /**
   * A callback-pattern Task: opens a token, lets the function file it, and answers with whatever the
   * callback sends, as Step Functions does; the function's own answer is ignored, as it is on AWS.
   */
  private async awaitCallback(
    state: TaskStateDefinition,
    input: unknown,
    options: LocalRunOptions,
  ): Promise<unknown> {
    const tokens = this.taskTokens;
    if (!tokens) throw new Error("a webhook wait ran without task tokens; WebhooksEnabled should be false");
    const { FunctionName, Payload } = input as { FunctionName?: string; Payload?: Record<string, unknown> };
    const { taskToken, settled } = tokens.start({
      heartbeatMs: options.callbackHeartbeatMs ?? secondsToMs(state.HeartbeatSeconds),
      timeoutMs: options.callbackTimeoutMs ?? secondsToMs(state.TimeoutSeconds),
    });
    // Settled before the registration returns when the event came first; awaited below, never dropped.
    settled.catch(() => undefined);
    try {
      await this.invoke({ FunctionName, Payload: { ...Payload, taskToken } });
    } catch (error) {
      tokens.abandon(taskToken);
      throw error;
    }
    return settled;
  }

  private async invoke(input: unknown): Promise<unknown> {
    const { FunctionName, Payload } = input as { FunctionName?: string; Payload?: unknown };
    const target = FunctionName ? this.byArn.get(FunctionName) : undefined;
    if (!target) {
      const failure = new Error(
        `{"errorType":"Lambda.ResourceNotFoundException","errorMessage":"no function ${FunctionName}"}`,
      );
      failure.name = "Lambda.ResourceNotFoundException";
      throw failure;
    }
    return invokeLocalLambda(FunctionName as string, target.fn.handler, Payload, target.fn.timeoutSeconds);
  }
}

async function report(
  events: AsyncGenerator<EventLog>,
  onProgress: (progress: PipelineProgress) => void,
  onEvent: ((event: EventLog) => void) | undefined,
) {
  for await (const raw of events) {
    onEvent?.(raw);
    const event = raw as {
      type: string;
      state?: { name: string; type: string };
      Error?: string;
      retry?: { attempt: number };
    };
    const state = event.state?.name ?? "";
    if (event.type === "StateEntered" && (event.state?.type === "Task" || event.state?.type === "Wait")) {
      onProgress({ kind: "entered", state });
    } else if (event.type === "StateRetried") {
      onProgress({ kind: "retried", state, detail: `attempt ${(event.retry?.attempt ?? 0) + 1}` });
    } else if (event.type === "StateFailed" && event.state?.type !== "Fail") {
      onProgress({ kind: "caught", state, detail: event.Error ?? "" });
    } else if (event.type === "ExecutionSucceeded") {
      onProgress({ kind: "succeeded", state: "" });
    } else if (event.type === "ExecutionFailed") {
      onProgress({ kind: "failed", state: "", detail: event.Error ?? "" });
    }
  }
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function readRecord(cause: string): Record<string, unknown> {
  try {
    return JSON.parse(cause) as Record<string, unknown>;
  } catch {
    return { message: cause };
  }
}
