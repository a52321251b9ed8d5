import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { type ApiRoute, createApiHandler } from "../../../../functions/handlers/api/createApiHandler";
import { getJob } from "../../../../functions/handlers/api/getJob";
import { postJob } from "../../../../functions/handlers/api/postJob";
import { postRedrive } from "../../../../functions/handlers/api/redriveJob";
import type { JobsDependencies } from "../../../../functions/jobs/JobsDependencies";
import type { Job, ResumePoint } from "../../../../functions/pipeline/jobSpec";
import { writeJobResult } from "../../../../functions/results/jobResult";
import { LocalJobRuns } from "../../../../local/LocalJobRuns";
import type { LocalRunOptions, PipelineOutcome } from "../../../../local/LocalPipeline";
import { fakeBucket } from "../../fakeBucket";

const BUCKET = "vidstep-sources";
const POST_JOBS: APIGatewayProxyEventV2 = JSON.parse(
  readFileSync(new URL("../../../events/api/post-jobs.json", import.meta.url), "utf8"),
);

/** A pipeline whose runs end when the test says so, reporting the steps the test enters. */
class ControlledPipeline {
  readonly runs: { job: Job; options: LocalRunOptions; end: (outcome: PipelineOutcome) => void }[] = [];

  run(job: Job, options: LocalRunOptions = {}): Promise<PipelineOutcome> {
    return new Promise((end) => this.runs.push({ job, options, end }));
  }

  enter(state: string) {
    this.runs.at(-1)?.options.onProgress?.({ kind: "entered", state });
  }
}

let pipeline: ControlledPipeline;
let runs: LocalJobRuns;
let dependencies: JobsDependencies;
let bucket: ReturnType<typeof fakeBucket>;

function call(route: ApiRoute<JobsDependencies>, changes: Record<string, unknown>) {
  const handler = createApiHandler(route, async () => dependencies);
  const event = { ...POST_JOBS, ...changes } as APIGatewayProxyEventV2;
  return handler(event, {} as Context) as Promise<APIGatewayProxyStructuredResultV2>;
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  call(postJob, { body: typeof body === "string" ? body : JSON.stringify(body), headers });
const get = (id: string) =>
  call(getJob, { routeKey: "GET /jobs/{id}", pathParameters: { id }, body: undefined });
const redrive = (id: string, body?: unknown) =>
  call(postRedrive, { pathParameters: { id }, body: body === undefined ? undefined : JSON.stringify(body) });
const bodyOf = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body ?? "null");
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  // Prepare
  pipeline = new ControlledPipeline();
  runs = new LocalJobRuns(pipeline);
  bucket = fakeBucket();
  dependencies = { runs, s3: bucket.s3, bucket: BUCKET };
});

describe("POST /jobs", () => {
  it("answers 400 naming every bad field and value, the bucket and the Idempotency-Key included", async () => {
    // Act
    const badSpec = await post({ provider: "vidio", title: "", vidio: { aspectRatio: "round" }, extra: 1 });
    const foreign = await post({
      provider: "vidio",
      sources: [
        { bucket: BUCKET, key: "a" },
        { bucket: "elsewhere", key: "b" },
      ],
    });
    const badKey = await post(
      { provider: "vidio", source: { url: "https://example.com/a.mp4" } },
      { "idempotency-key": "has space" },
    );

    // Assess
    expect(badSpec.statusCode).toBe(400);
    expect(bodyOf(badSpec).problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "title", value: "" }),
        expect.objectContaining({ field: "vidio.aspectRatio", value: "round" }),
        expect.objectContaining({ field: "extra", problem: "is not a known field" }),
      ]),
    );
    expect(bodyOf(foreign).problems).toEqual([
      expect.objectContaining({ field: "sources.1.bucket", value: "elsewhere" }),
    ]);
    expect(bodyOf(badKey).problems).toEqual([
      expect.objectContaining({ field: "Idempotency-Key", value: "has space" }),
    ]);
    expect(runs.names()).toEqual([]);
  });

  it("gives a repeated Idempotency-Key the same job and one execution, per caller", async () => {
    // Act
    const first = await call(postJob, {});
    const repeat = await call(postJob, {});
    const otherCaller = await call(postJob, {
      requestContext: {
        ...POST_JOBS.requestContext,
        authorizer: { iam: { userArn: "arn:aws:iam::1:user/b" } },
      },
    });

    // Assess
    expect(first.statusCode).toBe(202);
    expect(repeat.statusCode).toBe(200);
    expect(bodyOf(repeat)).toEqual(bodyOf(first));
    expect(bodyOf(first)).toMatchObject({
      status: "running",
      links: { self: `/jobs/${bodyOf(first).jobId}` },
    });
    expect(bodyOf(otherCaller).jobId).not.toBe(bodyOf(first).jobId);
    expect(runs.names()).toEqual([bodyOf(first).jobId, bodyOf(otherCaller).jobId]);
  });

  it("answers 500 without detail when something unexpected fails", async () => {
    // Prepare
    dependencies.runs = {
      start: async () => Promise.reject(new Error("secret detail")),
      describe: async () => undefined,
      redriveInPlace: async () => Promise.reject(new Error("unused")),
    };

    // Act
    const response = await call(postJob, {});

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret detail");
  });
});

describe("GET /jobs/{id} and POST /jobs/{id}/redrive", () => {
  it("shows a job running at its current step, then succeeded with its result", async () => {
    // Prepare
    const { jobId } = bodyOf(await call(postJob, {}));
    pipeline.enter("Upload");
    pipeline.enter("Poll status");

    // Act
    const running = bodyOf(await get(jobId));
    pipeline.runs[0]?.end({ status: "succeeded", result: { status: "succeeded", videoId: "vi1" } });
    await runs.idle();
    const succeeded = bodyOf(await get(jobId));

    // Assess
    expect(running).toMatchObject({ jobId, status: "running", attempt: 1, currentStep: "Poll status" });
    expect(running.result).toBeUndefined();
    expect(succeeded).toMatchObject({ status: "succeeded", attempt: 1, result: { videoId: "vi1" } });
    expect(succeeded.stoppedAt).toEqual(expect.any(String));
    expect((await get("unknown-job")).statusCode).toBe(404);
  });

  it("shows why a job failed, redrives it from its resume point once, and refuses to redrive a success", async () => {
    // Prepare: the job fails; its result names the stage to resume from.
    const { jobId } = bodyOf(await call(postJob, {}));
    const record = {
      status: "failed",
      jobId,
      provider: "apivideo",
      step: "awaitUpload",
      error: "ProviderJobFailedError",
      message: "encoding failed",
    };
    pipeline.runs[0]?.end({ status: "failed", error: "ProviderJobFailedError", record });
    await settle();
    const resume = { stage: "awaitUpload" as const, progress: { upload: { videoId: "vi1" } } };
    const executionId = (await runs.describe(jobId))?.executionId;
    await writeJobResult(bucket.s3, BUCKET, {
      jobId,
      provider: "apivideo",
      status: "failed",
      finishedAt: new Date().toISOString(),
      executionId,
      failure: record,
      resume,
    });

    // Act
    const failed = bodyOf(await get(jobId));
    const first = await redrive(jobId);
    const repeat = await redrive(jobId);
    pipeline.runs[1]?.end({ status: "succeeded", result: { status: "succeeded" } });
    await runs.idle();
    const afterSuccess = await redrive(jobId);
    const shown = bodyOf(await get(jobId));

    // Assess
    expect(failed).toMatchObject({
      status: "failed",
      attempt: 1,
      failure: {
        provider: "apivideo",
        step: "awaitUpload",
        error: "ProviderJobFailedError",
        message: "encoding failed",
      },
    });
    expect(first.statusCode).toBe(202);
    expect(bodyOf(first)).toMatchObject({ jobId, attempt: 2 });
    expect(repeat.statusCode).toBe(200);
    expect(bodyOf(repeat)).toMatchObject({ attempt: 2 });
    expect(pipeline.runs).toHaveLength(2);
    expect(pipeline.runs[1]?.job).toMatchObject({ jobId, resume });
    expect(runs.names()).toEqual([jobId, `${jobId}-redrive-2`]);
    expect(afterSuccess.statusCode).toBe(409);
    expect(shown).toMatchObject({ status: "succeeded", attempt: 2 });
  });

  it("never starts a job over when its failure left no resume point: it asks for a redrive in place", async () => {
    // Prepare: the execution failed without writing its result (say, S3 refused the result file).
    const { jobId } = bodyOf(await call(postJob, {}));
    pipeline.runs[0]?.end({ status: "failed", error: "States.TaskFailed", record: { message: "S3 down" } });
    await settle();

    // Act
    const response = await redrive(jobId);

    // Assess: the local runtime cannot redrive in place, and says so; nothing was started again.
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response).message).toContain("cannot redrive it in place");
    expect(runs.names()).toEqual([jobId]);
    expect(pipeline.runs).toHaveLength(1);
  });

  it("refuses to redrive a first attempt that is still running", async () => {
    // Prepare
    const { jobId } = bodyOf(await call(postJob, {}));

    // Act
    const response = await redrive(jobId);

    // Assess
    expect(response.statusCode).toBe(409);
    expect(runs.names()).toEqual([jobId]);
  });
});

describe("POST /jobs/{id}/redrive after a create whose answer was lost", () => {
  /** Posts a job, ends its first attempt with `failure` at `resume.stage`, and writes its result. */
  async function failedJob(
    spec: Record<string, unknown>,
    failure: Record<string, unknown>,
    resume: ResumePoint,
  ) {
    const { jobId } = bodyOf(await post(spec));
    const record = { status: "failed", jobId, provider: spec.provider, step: resume.stage, ...failure };
    pipeline.runs.at(-1)?.end({ status: "failed", error: String(failure.error), record });
    await settle();
    await writeJobResult(bucket.s3, BUCKET, {
      jobId,
      provider: spec.provider as Job["provider"],
      status: "failed",
      finishedAt: new Date().toISOString(),
      executionId: (await runs.describe(jobId))?.executionId,
      failure: record,
      resume,
    });
    return jobId as string;
  }

  const lostClip = {
    error: "ProviderOutcomeUnknownError",
    operation: "createClip",
    requestId: "req-9",
    message: "videodev createClip: connection failed (ECONNRESET); the provider may have acted on it",
  };
  const clipResume: ResumePoint = {
    stage: "create",
    progress: { upload: { value: { mediaId: "media_1", done: true } } },
  };
  const videoDevSpec = {
    provider: "videodev",
    title: "Final, second half",
    source: { url: "https://media.example.com/match.mp4?X-Amz-Signature=abc" },
  };

  it("refuses with 409 naming the resource to check where the provider offers no lookup, and starts nothing", async () => {
    // Prepare
    const jobId = await failedJob(videoDevSpec, lostClip, clipResume);

    // Act
    const refused = await redrive(jobId);

    // Assess
    expect(refused.statusCode).toBe(409);
    const body = bodyOf(refused);
    expect(body.message).toContain("videodev createClip");
    expect(body.message).toContain('{"acceptPossibleDuplicate": true}');
    expect(body.resource).toEqual({
      provider: "videodev",
      operation: "createClip",
      stage: "create",
      jobId,
      title: "Final, second half",
      sources: ["https://media.example.com/match.mp4"],
      madeFrom: { mediaId: "media_1" },
      requestId: "req-9",
    });
    expect(refused.body).not.toContain("X-Amz-Signature");
    expect(runs.names()).toEqual([jobId]);
  });

  it("sends the create again from the failed stage when the caller accepts a possible duplicate", async () => {
    // Prepare
    const jobId = await failedJob(videoDevSpec, lostClip, clipResume);

    // Act
    const accepted = await redrive(jobId, { acceptPossibleDuplicate: true });

    // Assess
    expect(accepted.statusCode).toBe(202);
    expect(pipeline.runs[1]?.job).toMatchObject({ jobId, resume: clipResume });
  });

  it("names only the Vidori batch whose answer was lost, not the assets already imported", async () => {
    // Prepare: batch one (50 assets) was sent and its outcomes kept; the second batch's answer was lost.
    const sources = Array.from({ length: 52 }, (_, i) => ({ url: `https://cdn.example.com/ep${i}.mp4` }));
    const sent = { done: false, sent: 50, accepted: 50, failed: 0 };
    const jobId = await failedJob(
      { provider: "vidori", sources },
      { error: "ProviderOutcomeUnknownError", operation: "importBatch", message: "lost" },
      { stage: "create", progress: { create: { value: sent } } },
    );

    // Act
    const refused = bodyOf(await redrive(jobId));

    // Assess
    expect(refused.resource).toMatchObject({
      provider: "vidori",
      operation: "importBatch",
      title: "ep50.mp4",
      sources: ["https://cdn.example.com/ep50.mp4", "https://cdn.example.com/ep51.mp4"],
    });
  });

  it("continues where api.video and Viostream can look the create up: the resumed stage finds it", async () => {
    // Prepare
    const lost = { error: "ProviderOutcomeUnknownError", operation: "createIngest", message: "lost" };
    const waitResume: ResumePoint = {
      stage: "awaitCreate",
      progress: { create: { value: { done: true, referenceId: "vidstep-x", createAnswerLost: true } } },
    };
    const viostream = await failedJob(
      { provider: "viostream", source: { url: "https://a.example/v.mp4" } },
      lost,
      waitResume,
    );

    // Act
    const lookedUp = await redrive(viostream);
    pipeline.runs[1]?.end({ status: "failed", error: lost.error, record: lost });
    await settle();
    await writeJobResult(bucket.s3, BUCKET, {
      jobId: viostream,
      provider: "viostream",
      status: "failed",
      finishedAt: new Date().toISOString(),
      executionId: (await runs.describe(`${viostream}-redrive-2`))?.executionId,
      failure: { ...lost, step: "awaitCreate" },
      resume: waitResume,
    });
    const accepted = await redrive(viostream, { acceptPossibleDuplicate: true });
    const apiVideo = await failedJob(
      { provider: "apivideo", source: { url: "https://a.example/v.mp4" } },
      { error: "ProviderOutcomeUnknownError", operation: "createVideo", message: "lost" },
      { stage: "upload", progress: {} },
    );
    const apiVideoRedrive = await redrive(apiVideo);

    // Assess: the first redrive looks the media up again; the accepted one goes back to the create stage,
    // which looks it up once more before it creates. api.video's upload looks its video up by job id.
    expect(lookedUp.statusCode).toBe(202);
    expect(pipeline.runs[1]?.job.resume).toEqual(waitResume);
    expect(accepted.statusCode).toBe(202);
    expect(pipeline.runs[2]?.job.resume).toEqual({ stage: "create", progress: {} });
    expect(apiVideoRedrive.statusCode).toBe(202);
    expect(pipeline.runs.at(-1)?.job.resume).toEqual({ stage: "upload", progress: {} });
  });

  it("answers 400 naming the field for a redrive body it does not understand", async () => {
    // Prepare
    const jobId = await failedJob(videoDevSpec, lostClip, clipResume);

    // Act
    const notBoolean = await redrive(jobId, { acceptPossibleDuplicate: "yes" });
    const unknown = await redrive(jobId, { acceptDuplicates: true });

    // Assess
    expect(notBoolean.statusCode).toBe(400);
    expect(bodyOf(notBoolean).problems).toEqual([
      expect.objectContaining({ field: "acceptPossibleDuplicate", value: "yes" }),
    ]);
    expect(unknown.statusCode).toBe(400);
    expect(bodyOf(unknown).problems).toEqual([expect.objectContaining({ field: "acceptDuplicates" })]);
    expect(runs.names()).toEqual([jobId]);
  });
});
