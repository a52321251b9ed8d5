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
import { INLINE_SOURCES_LIMIT_BYTES } from "../../../functions/pipeline/executionInput";
import { parseJobSpec } from "../../../functions/pipeline/jobSpec";
import { fakeBucket } from "../fakeBucket";

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
let bucket: ReturnType<typeof fakeBucket>;

beforeEach(() => {
  sfn.reset();
  bucket = fakeBucket();
  runs = new StepFunctionsJobRuns(new SFNClient({ region: "eu-west-1" }), MACHINE, {
    s3: bucket.s3,
    bucket: BUCKET,
  });
});

/** A VIDIO job of 400 sources with 1,024-character keys: its spec alone is over 256 KiB. */
function biggestJob(keyPrefix = "k") {
  const sources = Array.from({ length: 400 }, (_, index) => ({
    bucket: BUCKET,
    key: `${keyPrefix.repeat(1000)}-${String(index).padStart(3, "0")}.mp4`.padEnd(1024, "x"),
  }));
  return parseJobSpec({ jobId: "job-1", provider: "vidio", sources });
}

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

  it("keeps a large job's sources in a job file and starts the execution with a small input", async () => {
    // Prepare
    const big = biggestJob();
    sfn.on(DescribeExecutionCommand).rejects(notFound());
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: started });

    // Act
    await runs.start("job-1", big);

    // Assess
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? "";
    expect(input.length).toBeLessThan(INLINE_SOURCES_LIMIT_BYTES);
    const parsed = JSON.parse(input);
    expect(parsed).not.toHaveProperty("sources");
    expect(parsed.sourcesFile).toEqual({
      bucket: BUCKET,
      key: expect.stringMatching(/^jobs\/job-1\/sources-[0-9a-f]{32}\.json$/),
      count: 400,
    });
    expect(JSON.parse(String(bucket.objects.get(parsed.sourcesFile.key) ?? "[]"))).toEqual(big.sources);
  });

  it("describes a large job with its sources read back, and tells a repeat from other sources", async () => {
    // Prepare
    const big = biggestJob();
    sfn.on(DescribeExecutionCommand).rejectsOnce(notFound());
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: started });
    await runs.start("job-1", big);
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input;
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, status: "RUNNING", input });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });

    // Act
    const described = await runs.describe("job-1");
    const repeat = await runs.start("job-1", big);
    const other = runs.start("job-1", biggestJob("z"));

    // Assess
    expect(described?.job).toEqual(big);
    expect(repeat).toEqual({ executionId: EXECUTION, created: false });
    await expect(other).rejects.toBeInstanceOf(JobConflictError);
    // The conflicting sources went to a file of their own: the running job's file is untouched.
    expect(bucket.objects.size).toBe(2);
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
