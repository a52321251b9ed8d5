import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { type ExecutionInput, toExecutionInput, withSources } from "../pipeline/executionInput";
import type { JobFiles } from "../pipeline/jobFiles";
import { type Job, JobSchema } from "../pipeline/jobSpec";
import { JobConflictError } from "./JobConflictError";
import type { ExecutionStatus, JobExecution, JobRuns } from "./JobRuns";
import { sameJob } from "./sameJob";

/** Enough history to find the state entered last: a poll loop adds a handful of events per round. */
const HISTORY_PAGE = 25;

/** The states a person follows: where the work happens, and the waits between polls. */
const STEP_EVENTS = new Set(["TaskStateEntered", "WaitStateEntered"]);

/**
 * The jobs of one Standard state machine on Step Functions, each execution named after its job attempt. A
 * job's sources beyond a few KiB are kept in `files` and the execution's input names them (256 KiB cap).
 */
export class StepFunctionsJobRuns implements JobRuns {
  private readonly executionPrefix: string;

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly files: JobFiles,
  ) {
    // arn:<partition>:states:<region>:<account>:stateMachine:<name> → ...:execution:<name>:<execution>
    const parts = stateMachineArn.split(":");
    if (parts.length !== 7 || parts[5] !== "stateMachine") {
      throw new Error(`${stateMachineArn} is not a state machine ARN`);
    }
    parts[5] = "execution";
    this.executionPrefix = `${parts.join(":")}:`;
  }

  async start(name: string, job: Job): Promise<{ executionId: string; created: boolean }> {
    // Describing first tells a repeat from a new job: StartExecution answers a running same-input repeat
    // with success, which would read as "created".
    const existing = await this.describeRaw(name);
    const input = await toExecutionInput(job, this.files);
    if (existing) return this.reuse(name, input, existing);
    try {
      const { executionArn } = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { executionId: executionArn ?? this.executionArn(name), created: true };
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
      // Another request started it between our describe and start.
      const raced = await this.describeRaw(name);
      if (!raced) throw error;
      return this.reuse(name, input, raced);
    }
  }

  async redriveInPlace(name: string): Promise<{ executionId: string }> {
    const executionArn = this.executionArn(name);
    try {
      await this.sfn.send(new RedriveExecutionCommand({ executionArn }));
      return { executionId: executionArn };
    } catch (error) {
      if (!(error instanceof ExecutionNotRedrivable)) throw error;
      throw new JobConflictError(`execution ${name} cannot be redriven: ${error.message}`, name);
    }
  }

  async describe(name: string): Promise<JobExecution | undefined> {
    const raw = await this.describeRaw(name);
    if (!raw) return undefined;
    const status = statusOf(raw);
    const execution: JobExecution = {
      name,
      executionId: raw.executionArn ?? this.executionArn(name),
      status,
      startedAt: (raw.startDate ?? new Date(0)).toISOString(),
      job: JobSchema.parse(await withSources(JSON.parse(raw.input ?? "null"), this.files.s3)),
    };
    if (raw.stopDate) execution.stoppedAt = raw.stopDate.toISOString();
    if (raw.error) execution.error = raw.error;
    if (raw.cause) execution.cause = raw.cause;
    if (raw.output !== undefined) execution.output = JSON.parse(raw.output);
    if (status === "RUNNING") {
      const step = await this.currentStep(execution.executionId);
      if (step) execution.currentStep = step;
    }
    return execution;
  }

  private reuse(name: string, input: ExecutionInput, existing: DescribeExecutionOutput) {
    // A large job's input names its sources file by their hash, so comparing inputs compares sources.
    if (!sameJob(JSON.parse(existing.input ?? "null"), input)) {
      throw new JobConflictError(`execution ${name} exists with another input`, input.jobId);
    }
    return { executionId: existing.executionArn ?? this.executionArn(name), created: false };
  }

  private async describeRaw(name: string): Promise<DescribeExecutionOutput | undefined> {
    try {
      return await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionArn(name) }));
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  private async currentStep(executionArn: string): Promise<string | undefined> {
    const { events = [] } = await this.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: HISTORY_PAGE,
        includeExecutionData: false,
      }),
    );
    return events.find((event) => STEP_EVENTS.has(event.type ?? ""))?.stateEnteredEventDetails?.name;
  }

  private executionArn(name: string): string {
    return `${this.executionPrefix}${name}`;
  }
}

function statusOf(raw: DescribeExecutionOutput): ExecutionStatus {
  // A redrive of the execution itself (not ours: we start new attempts) is on its way to running again.
  return raw.status === "PENDING_REDRIVE" || raw.status === undefined ? "RUNNING" : raw.status;
}
