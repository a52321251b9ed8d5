import { S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { JobConflictError } from "../../../functions/jobs/JobConflictError";
import { StepFunctionsJobRuns } from "../../../functions/jobs/StepFunctionsJobRuns";
import { parseJobSpec } from "../../../functions/pipeline/jobSpec";

const BUCKET = "pipeline-bucket";
const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:Pipeline";
const EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:Pipeline:job-1";
const job = parseJobSpec({
  jobId: "job-1",
  provider: "apivideo",
  source: { url: "https://example.com/a.mp4" },
});
const sfn = mockClient(SFNClient);
const notFound = () => new ExecutionDoesNotExist({ message: "no", $metadata: {} });
const started = new Date("2026-01-01T00:00:00Z");

let runs: StepFunctionsJobRuns;

beforeEach(() => {
  sfn.reset();
  runs = new StepFunctionsJobRuns(new SFNClient({ region: "eu-west-1" }), MACHINE, {
    s3: new S3Client({ region: "eu-west-1" }),
    bucket: BUCKET,
  });
});

describe("StepFunctionsJobRuns", () => {
  it("starts a new execution named after the job, with the job as input", async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).rejects(notFound());
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: started });

    // Act
    const result = await runs.start("job-1", job);

    // Assess
    expect(result).toEqual({ executionId: EXECUTION, created: true });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: MACHINE,
      name: "job-1",
      input: JSON.stringify(job),
    });
  });

  it("answers a repeat with the existing execution, and another input with a conflict", async () => {
    // Prepare: the input comes back with its keys in another order.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(job).reverse()));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: EXECUTION, status: "SUCCEEDED", input: reordered });

    // Act
    const repeat = await runs.start("job-1", job);
    const other = runs.start("job-1", { ...job, title: "other" });

    // Assess
    expect(repeat).toEqual({ executionId: EXECUTION, created: false });
    await expect(other).rejects.toBeInstanceOf(JobConflictError);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("counts ExecutionAlreadyExists from a racing start as the same job", async () => {
    // Prepare
    sfn
      .on(DescribeExecutionCommand)
      .rejectsOnce(notFound())
      .resolves({ executionArn: EXECUTION, status: "RUNNING", input: JSON.stringify(job) });
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: "exists", $metadata: {} }));

    // Act
    const result = await runs.start("job-1", job);

    // Assess
    expect(result).toEqual({ executionId: EXECUTION, created: false });
  });

  it("describes a running execution with the state it entered last", async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION,
      status: "RUNNING",
      startDate: started,
      input: JSON.stringify(job),
    });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 9,
          timestamp: started,
          type: "ChoiceStateEntered",
          stateEnteredEventDetails: { name: "Done?" },
        },
        {
          id: 8,
          timestamp: started,
          type: "TaskStateEntered",
          stateEnteredEventDetails: { name: "Poll status" },
        },
        { id: 5, timestamp: started, type: "TaskStateEntered", stateEnteredEventDetails: { name: "Upload" } },
      ],
    });

    // Act
    const execution = await runs.describe("job-1");

    // Assess
    expect(execution).toMatchObject({
      name: "job-1",
      executionId: EXECUTION,
      status: "RUNNING",
      startedAt: started.toISOString(),
      currentStep: "Poll status",
      job,
    });
    expect(sfn).toHaveReceivedCommandWith(GetExecutionHistoryCommand, {
      executionArn: EXECUTION,
      reverseOrder: true,
    });
  });

  it("describes a failed execution with its error and cause, and a missing one as undefined", async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).rejects(notFound());
    sfn.on(DescribeExecutionCommand, { executionArn: EXECUTION }).resolves({
      executionArn: EXECUTION,
      status: "FAILED",
      startDate: started,
      stopDate: started,
      input: JSON.stringify(job),
      error: "ProviderJobFailedError",
      cause: '{"provider":"apivideo"}',
    });

    // Act
    const failed = await runs.describe("job-1");
    const missing = await runs.describe("job-2");

    // Assess
    expect(failed).toMatchObject({
      status: "FAILED",
      error: "ProviderJobFailedError",
      cause: '{"provider":"apivideo"}',
    });
    expect(failed?.currentStep).toBeUndefined();
    expect(missing).toBeUndefined();
    expect(sfn).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
  });

  it("redrives a stopped execution in place, and turns a refusal into a conflict", async () => {
    // Prepare
    sfn
      .on(RedriveExecutionCommand)
      .resolvesOnce({ redriveDate: started })
      .rejects(new ExecutionNotRedrivable({ message: "older than 14 days", $metadata: {} }));

    // Act
    const redriven = await runs.redriveInPlace("job-1");
    const refused = runs.redriveInPlace("job-1");

    // Assess
    expect(redriven).toEqual({ executionId: EXECUTION });
    expect(sfn).toHaveReceivedCommandWith(RedriveExecutionCommand, { executionArn: EXECUTION });
    await expect(refused).rejects.toThrow(JobConflictError);
    await expect(refused).rejects.toThrow("older than 14 days");
  });
});
