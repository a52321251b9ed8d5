import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { callerOf } from "../../../functions/handlers/api/postJob";
import type { JobRuns } from "../../../functions/jobs/JobRuns";
import { viewOf } from "../../../functions/jobs/jobStatus";
import { parseJobSpec } from "../../../functions/pipeline/jobSpec";

const s3 = mockClient(S3Client);
const job = parseJobSpec({
  jobId: "job-1",
  provider: "vidori",
  source: { url: "https://example.com/a.mp4" },
});

describe("viewOf", () => {
  beforeEach(() => {
    s3.reset();
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "no result", $metadata: {} }));
  });

  it("shows a raw Lambda error as error and message, never its stack trace", async () => {
    // Prepare
    const cause = JSON.stringify({
      errorType: "S3ServiceException",
      errorMessage: "Access Denied",
      trace: ["at writeJobResult (/var/task/index.js:1:2)"],
    });
    const execution = {
      name: "job-1",
      executionId: "arn:aws:states:eu-west-1:1:execution:P:job-1",
      status: "FAILED" as const,
      startedAt: "2026-11-23T10:00:00Z",
      stoppedAt: "2026-11-23T10:01:00Z",
      job,
      error: "S3ServiceException",
      cause,
    };

    // Act
    const view = await viewOf(
      "job-1",
      { attempt: 1, execution },
      {
        runs: {} as JobRuns,
        s3: new S3Client({}),
        bucket: "media",
      },
    );

    // Assess
    expect(view.failure).toEqual({ error: "S3ServiceException", message: "Access Denied" });
    expect(JSON.stringify(view)).not.toContain("/var/task");
  });
});

describe("callerOf", () => {
  it("keys an assumed role by the role, not by the session that changes with every login", () => {
    // Act
    const one = callerOf("arn:aws:sts::123456789012:assumed-role/Uploader/i-0abc");
    const other = callerOf("arn:aws:sts::123456789012:assumed-role/Uploader/botocore-session-17");

    // Assess
    expect(one).toBe("arn:aws:sts::123456789012:assumed-role/Uploader");
    expect(other).toBe(one);
    expect(callerOf("arn:aws:iam::123456789012:user/alice")).toBe("arn:aws:iam::123456789012:user/alice");
    expect(callerOf(undefined)).toBe("unsigned");
  });
});
