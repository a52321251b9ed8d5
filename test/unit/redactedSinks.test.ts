import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { printOutcome } from "../../cli/printRun";
import { createApiHandler } from "../../functions/handlers/api/createApiHandler";
import { getJob } from "../../functions/handlers/api/getJob";
import { errorResponse } from "../../functions/handlers/api/httpResponses";
import { postJob } from "../../functions/handlers/api/postJob";
import { logger } from "../../functions/handlers/core/logger";
import { toStepFailure } from "../../functions/handlers/core/stepFailure";
import type { JobRuns } from "../../functions/jobs/JobRuns";
import type { JobsDependencies } from "../../functions/jobs/JobsDependencies";
import { ProviderRejectedError } from "../../functions/providers/core/errors";
import { InvalidInputError } from "../../functions/providers/core/InvalidInputError";
import { forgetSecrets, rememberSecrets } from "../../functions/providers/core/redactRecord";
import { EventBridgeJobEvents } from "../../functions/results/JobEvents";
import { recordFailure } from "../../functions/steps/recordFailure";
import { recordResult } from "../../functions/steps/recordResult";
import { recordStoppedExecution } from "../../functions/steps/recordStoppedExecution";
import { LocalJobEvents } from "../../local/LocalJobEvents";
import { capturedLogs } from "./capturedLogs";
import { fakeBucket } from "./fakeBucket";

/** An STS session token and signature, as a presigned GET of our bucket carries them on AWS. */
const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr%2F%2F%2FwEaCXVzLWVhc3QtMSJHMEUCIQD%2Bsession";
const SIGNATURE = "aa1f1e4d5c6b7a8900112233445566778899aabbccddeeff0011223344556677";
const PRESIGNED =
  "https://media.s3.eu-west-1.amazonaws.com/inbox/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
  "&X-Amz-Credential=ASIAEXAMPLEKEYID%2F20261123%2Feu-west-1%2Fs3%2Faws4_request" +
  `&X-Amz-Security-Token=${SESSION_TOKEN}&X-Amz-Signature=${SIGNATURE}&X-Amz-SignedHeaders=host`;
const PASSWORD_URL = "https://alice:correct-horse-battery@partner.example.com/feed/v.mp4";
const PROVIDER_KEY = "sim-videodev-key-4242";

/** Everything that must never be found in a record, an answer or a log line. */
const SECRETS = [SESSION_TOKEN, SIGNATURE, "ASIAEXAMPLEKEYID", "correct-horse-battery", PROVIDER_KEY];

/** A provider's error body quoting the URL it was given, and the key it was sent: the worst case. */
const ECHOED = `videodev importMedia: rejected (HTTP 400: could not fetch ${PRESIGNED} nor ${PASSWORD_URL} with key ${PROVIDER_KEY})`;

function expectClean(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

const job = { jobId: "job-leak", provider: "videodev" as const };

/** The Cause Step Functions records for an error thrown by one of our steps. */
function lambdaCause(error: Error): string {
  return JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] });
}

beforeEach(() => {
  // Prepare: the key was loaded by this process, as providerApiKey does.
  rememberSecrets(PROVIDER_KEY);
});

afterEach(() => {
  forgetSecrets();
});

describe("failure records", () => {
  it("a step's error reaches Step Functions redacted, its cause chain included", () => {
    // Prepare
    const error = new ProviderRejectedError(ECHOED, "source_media_url", {
      provider: "videodev",
      operation: "importMedia",
      status: 400,
      cause: new Error(`body: {"url":"${PRESIGNED}"}`),
    });

    // Act
    const failure = toStepFailure(error, "upload");

    // Assess
    expectClean(failure.message);
    expect(JSON.parse(failure.message)).toMatchObject({
      error: "ProviderRejectedError",
      stage: "upload",
      field: "source_media_url",
      status: 400,
    });
  });

  it("a Cause that no step redacted (a Lambda crash, Step Functions' own text) is redacted in the record", () => {
    // Act
    const record = recordFailure(job, {
      upload: { Error: "Error", Cause: lambdaCause(new Error(ECHOED)) },
    });

    // Assess
    expectClean(JSON.stringify(record));
    expect(record).toMatchObject({ step: "upload", error: "Error" });
    expect(record.message).toContain("X-Amz-Signature=[redacted]");
    expect(record.message).toContain("https://[redacted]@partner.example.com/feed/v.mp4");
  });
});

describe("results and events", () => {
  const s3 = mockClient(S3Client);
  const eventBridge = mockClient(EventBridgeClient);

  beforeEach(() => {
    s3.reset();
    eventBridge.reset();
    s3.on(PutObjectCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  });

  function written(): { result: string; event: string } {
    return {
      result: String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body),
      event: String(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail),
    };
  }

  const dependencies = () => ({
    s3: new S3Client({}),
    bucket: "media",
    events: new EventBridgeJobEvents(new EventBridgeClient({}), "vidstep-jobs", "media"),
  });

  it("a failed job's result file and EventBridge event carry no credential", async () => {
    // Prepare: a cause as it would be if an earlier hop had not redacted it.
    const cause = JSON.stringify({ status: "failed", ...job, step: "upload", error: "X", message: ECHOED });

    // Act
    await recordResult(job, "exec-1", { status: "failed", cause, progress: {} }, dependencies());

    // Assess
    const { result, event } = written();
    expectClean(result);
    expectClean(event);
    expect(JSON.parse(event)).toMatchObject({ step: "upload", error: "X" });
  });

  it("a succeeded job's provider answer quoting its presigned source is redacted", async () => {
    // Prepare
    const outcome = {
      status: "succeeded" as const,
      result: { assets: [{ assetId: "a-1", warnings: [`fetched ${PRESIGNED} after a retry`] }] },
    };

    // Act
    await recordResult(job, "exec-2", outcome, dependencies());

    // Assess
    const stored = JSON.parse(written().result);
    expectClean(JSON.stringify(stored));
    expect(stored.result.assets[0].assetId).toBe("a-1");
  });

  it("a stopped execution's record passes the same step", async () => {
    // Act
    const result = await recordStoppedExecution(
      {
        executionArn: "arn:aws:states:eu-west-1:1:execution:P:job-leak",
        status: "ABORTED",
        input: JSON.stringify({ ...job, sources: [{ url: PASSWORD_URL }] }),
      },
      dependencies(),
    );

    // Assess
    expect(result?.failure).toMatchObject({ error: "ExecutionAbortedError" });
    expectClean(written().result);
    expectClean(written().event);
  });

  it("the local bus gets the same redacted detail as EventBridge", async () => {
    // Prepare
    const events = new LocalJobEvents("media");
    const failure = { step: "upload", error: "X", message: ECHOED };

    // Act
    await events.publish({ ...job, status: "failed", finishedAt: "2026-11-23T10:00:00Z", failure });

    // Assess
    expectClean(JSON.stringify(events.published));
  });
});

describe("the jobs API", () => {
  let dependencies: JobsDependencies;
  let bucket: ReturnType<typeof fakeBucket>;

  beforeEach(() => {
    bucket = fakeBucket();
    dependencies = { runs: {} as JobRuns, s3: bucket.s3, bucket: "media" };
  });

  function call(route: typeof postJob, event: Partial<APIGatewayProxyEventV2>) {
    const handler = createApiHandler(route, async () => dependencies);
    const request = { headers: {}, requestContext: {}, isBase64Encoded: false, ...event };
    return handler(
      request as APIGatewayProxyEventV2,
      {} as Context,
    ) as Promise<APIGatewayProxyStructuredResultV2>;
  }

  it("a 5 MiB bad body gets a small 400 and a small log line", async () => {
    // Prepare
    const body = `{"provider": ${"9".repeat(5 * 1024 * 1024)}`;

    // Act
    const { value: response, lines } = await capturedLogs(() => call(postJob, { body }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body?.length).toBeLessThan(2_000);
    expect(JSON.parse(response.body ?? "{}").problems[0]).toMatchObject({
      field: "body",
      value: expect.stringMatching(new RegExp(`… \\(${body.length} characters\\)$`)),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.length).toBeLessThan(4_000);
  });

  it("a 5 MiB value of a valid JSON body is echoed as its start and its length", async () => {
    // Prepare
    const body = JSON.stringify({ provider: "x".repeat(5 * 1024 * 1024) });

    // Act
    const response = await call(postJob, { body });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.body?.length).toBeLessThan(2_000);
    expect(JSON.parse(response.body ?? "{}").problems[0].value).toMatch(/^x{200}… \(5242880 characters\)$/);
  });

  it("an error answer and its log line carry no credential", async () => {
    // Prepare
    const error = new InvalidInputError("job spec", [
      { field: "source.url", problem: `could not be read: ${ECHOED}`, value: PASSWORD_URL },
    ]);

    // Act
    const { value: response, lines } = await capturedLogs(() => errorResponse(error, "jobs.post"));

    // Assess
    expect(response.statusCode).toBe(400);
    expectClean(response.body ?? "");
    expect(lines).toHaveLength(1);
    expectClean(lines.join(""));
  });

  it("GET /jobs/{id} shows a result written before redaction existed without its credentials", async () => {
    // Prepare: a result file from an older deployment, written unredacted, and the execution that wrote it.
    await bucket.s3.send(
      new PutObjectCommand({
        Bucket: "media",
        Key: "results/job-leak.json",
        Body: JSON.stringify({
          ...job,
          status: "failed",
          finishedAt: "2026-11-23T10:00:00.000Z",
          executionId: "exec-1",
          failure: { step: "upload", error: "X", message: ECHOED },
        }),
      }),
    );
    const execution = {
      name: "job-leak",
      executionId: "exec-1",
      status: "FAILED" as const,
      startedAt: "2026-11-23T09:59:00Z",
      stoppedAt: "2026-11-23T10:00:00Z",
    };
    dependencies.runs = {
      describe: async (name: string) => (name === "job-leak" ? execution : undefined),
    } as unknown as JobRuns;

    // Act
    const response = await call(getJob, { pathParameters: { id: "job-leak" } });

    // Assess
    expect(response.statusCode).toBe(200);
    expectClean(response.body ?? "");
    expect(JSON.parse(response.body ?? "{}").failure.message).toContain("X-Amz-Security-Token=[redacted]");
  });
});

describe("log lines", () => {
  it("an error logged with its cause chain and a long body is redacted and capped", async () => {
    // Prepare
    const error = new Error(`import failed for ${PASSWORD_URL}`, { cause: new Error(ECHOED) });

    // Act
    const { lines } = await capturedLogs(() => {
      logger.error(`provider answered ${PRESIGNED}`, { error, body: "z".repeat(5 * 1024 * 1024) });
    });

    // Assess
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    expectClean(line);
    expect(line.length).toBeLessThan(8_000);
    expect(JSON.parse(line)).toMatchObject({
      message: expect.stringContaining("X-Amz-Signature=[redacted]"),
      body: expect.stringMatching(/… \(5242880 characters\)$/),
      error: { cause: { message: expect.stringContaining("[redacted]") } },
    });
  });
});

describe("the CLI", () => {
  it("prints a failure record without credentials", () => {
    // Prepare
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => {
      printed.push(line);
    });

    // Act
    try {
      printOutcome({ status: "failed", error: "X", record: { error: "X", message: ECHOED } }, 1_000);
    } finally {
      log.mockRestore();
    }

    // Assess
    expectClean(printed.join("\n"));
    expect(printed.join("\n")).toContain("X-Amz-Signature=[redacted]");
  });
});
