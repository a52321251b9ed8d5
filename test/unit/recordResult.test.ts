import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { writeJobFile } from "../../functions/pipeline/jobFiles";
import { parseJobSpec } from "../../functions/pipeline/jobSpec";
import { EventBridgeJobEvents, JobEventNotPublishedError } from "../../functions/results/JobEvents";
import { recordResult } from "../../functions/steps/recordResult";
import { recordStoppedExecution } from "../../functions/steps/recordStoppedExecution";

const s3 = mockClient(S3Client);
const eventBridge = mockClient(EventBridgeClient);
const job = { jobId: "job-9", provider: "videodev" as const };
const now = new Date("2026-11-23T10:00:00.000Z");

function dependencies() {
  return {
    s3: new S3Client({}),
    bucket: "media",
    events: new EventBridgeJobEvents(new EventBridgeClient({}), "vidstep-jobs", "media"),
  };
}

function writtenResult(): Record<string, unknown> {
  const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
  return JSON.parse(String(put?.Body)) as Record<string, unknown>;
}

describe("recordResult", () => {
  beforeEach(() => {
    s3.reset();
    eventBridge.reset();
    s3.on(PutObjectCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  });

  it("writes results/<jobId>.json and announces the success", async () => {
    // Prepare
    const outcome = { status: "succeeded" as const, result: { clipUrl: "https://cdn.example/c.mp4" } };

    // Act
    await recordResult(
      job,
      "arn:aws:states:eu-west-1:1:execution:Pipeline:job-9",
      outcome,
      dependencies(),
      now,
    );

    // Assess
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: "media", Key: "results/job-9.json" });
    expect(writtenResult()).toEqual({
      jobId: "job-9",
      provider: "videodev",
      status: "succeeded",
      executionId: "arn:aws:states:eu-west-1:1:execution:Pipeline:job-9",
      finishedAt: "2026-11-23T10:00:00.000Z",
      result: { clipUrl: "https://cdn.example/c.mp4" },
    });
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: "vidstep-jobs",
      Source: "vidstep",
      DetailType: "Job succeeded",
    });
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      jobId: "job-9",
      status: "succeeded",
      result: { bucket: "media", key: "results/job-9.json" },
    });
  });

  it("announces a failure with provider, step and reason, and keeps where a redrive resumes", async () => {
    // Prepare
    const record = {
      jobId: "job-9",
      provider: "videodev",
      step: "upload",
      error: "ProviderUnavailableError",
      message: "HTTP 503",
    };
    const outcome = {
      status: "failed" as const,
      cause: JSON.stringify(record),
      progress: { upload: { value: { offset: 5 } } },
    };

    // Act
    await recordResult(job, "local:job-9", outcome, dependencies(), now);

    // Assess
    expect(writtenResult()).toMatchObject({
      status: "failed",
      failure: record,
      resume: { stage: "upload", progress: { upload: { value: { offset: 5 } } } },
    });
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.DetailType).toBe("Job failed");
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      provider: "videodev",
      step: "upload",
      error: "ProviderUnavailableError",
      reason: "HTTP 503",
    });
  });

  it("restarts a provider job that failed instead of polling its failure again", async () => {
    // Prepare
    const record = { step: "awaitRender", error: "ProviderJobFailedError", message: "render failed" };
    const progress = {
      upload: { value: 1 },
      awaitUpload: { value: 2 },
      render: { value: 3 },
      awaitRender: { value: 4 },
    };
    const outcome = { status: "failed" as const, cause: JSON.stringify(record), progress };

    // Act
    await recordResult(job, "local:job-9", outcome, dependencies(), now);

    // Assess
    expect(writtenResult().resume).toEqual({
      stage: "render",
      progress: { upload: { value: 1 }, awaitUpload: { value: 2 } },
    });
  });

  it("starts over when the failure was not in a stage", async () => {
    // Prepare
    const outcome = { status: "failed" as const, cause: "States.Runtime: bad path", progress: {} };

    // Act
    await recordResult(job, "local:job-9", outcome, dependencies(), now);

    // Assess
    expect(writtenResult()).toMatchObject({ failure: { message: "States.Runtime: bad path" } });
    expect(writtenResult().resume).toBeUndefined();
  });

  it("fails with a retryable error when the bus refuses the event, after the result is written", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" }],
    });

    // Act
    const recording = recordResult(
      job,
      "local:job-9",
      { status: "succeeded", result: {} },
      dependencies(),
      now,
    );

    // Assess
    await expect(recording).rejects.toThrow(JobEventNotPublishedError);
    await expect(recording).rejects.toThrow(/ThrottlingException Rate exceeded/);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it("records a timed-out execution's job as failed, from the job in its input, without a resume point", async () => {
    // Prepare
    const job = parseJobSpec({
      jobId: "job-9",
      provider: "vidio",
      source: { url: "https://example.com/a.mp4" },
    });
    const stopped = {
      executionArn: "arn:aws:states:eu-west-1:1:execution:Pipeline:job-9",
      status: "TIMED_OUT" as const,
      input: JSON.stringify(job),
    };

    // Act
    const result = await recordStoppedExecution(stopped, dependencies());
    const unreadable = await recordStoppedExecution({ ...stopped, input: null }, dependencies());

    // Assess
    expect(result).toMatchObject({
      jobId: "job-9",
      provider: "vidio",
      status: "failed",
      executionId: stopped.executionArn,
      failure: { step: "execution", error: "ExecutionTimedOutError" },
    });
    expect(writtenResult().resume).toBeUndefined();
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      error: "ExecutionTimedOutError",
      provider: "vidio",
    });
    expect(unreadable).toBeUndefined();
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  });

  it("records a stopped large job, whose input names a sources file in place of its sources", async () => {
    // Prepare
    const input = {
      jobId: "job-big",
      provider: "vidori",
      vidori: {},
      sourcesFile: { bucket: "media", key: "jobs/job-big/sources-0a.json", count: 500 },
    };
    const stopped = {
      executionArn: "arn:aws:states:eu-west-1:1:execution:Pipeline:job-big",
      status: "ABORTED" as const,
      input: JSON.stringify(input),
    };

    // Act
    const result = await recordStoppedExecution(stopped, dependencies());

    // Assess
    expect(result).toMatchObject({
      jobId: "job-big",
      provider: "vidori",
      failure: { error: "ExecutionAbortedError" },
    });
  });

  it("writes a large result whole: a list the state kept in a job file is read back into the result file", async () => {
    // Prepare
    const assets = [{ index: 0, status: "accepted", assetId: "a-1" }];
    const assetsFile = await writeJobFile(
      { s3: new S3Client({}), bucket: "media" },
      "job-9",
      "result-assets",
      assets,
    );
    s3.on(GetObjectCommand, { Key: assetsFile.key }).resolves({
      Body: { transformToString: async () => JSON.stringify(assets) } as never,
    });
    s3.resetHistory();

    // Act
    await recordResult(
      job,
      "exec-1",
      { status: "succeeded", result: { accepted: 1, assetsFile } },
      dependencies(),
      now,
    );

    // Assess
    expect(writtenResult().result).toEqual({ accepted: 1, assets });
  });
});
